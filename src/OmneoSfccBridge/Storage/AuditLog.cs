using Dapper;

namespace OmneoSfccBridge.Storage;

/// <summary>A durable trail of what the bridge decided about a customer (links, matches, merges, conversions), for support.</summary>
public sealed class AuditLog(BridgeDatabase database, TimeProvider time)
{
    private const string Insert =
        "INSERT INTO audit_events (occurred_at, kind, customer_list_id, customer_no, profile_id, detail) VALUES (@now, @kind, @customerListId, @customerNo, @profileId, @detail)";

    public async Task RecordAsync(string kind, string? customerListId, string? customerNo, string? profileId, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            Insert,
            new { now = time.GetUtcNow().ToUnixTimeMilliseconds(), kind, customerListId, customerNo, profileId, detail },
            cancellationToken: cancellationToken));
    }

    /// <summary>As <see cref="RecordAsync(string, string?, string?, string?, string?, CancellationToken)"/>, in <paramref name="transaction"/>: recorded if and only if it commits.</summary>
    public async Task RecordAsync(BridgeTransaction transaction, string kind, string? customerListId, string? customerNo, string? profileId, string? detail, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            Insert,
            new { now = time.GetUtcNow().ToUnixTimeMilliseconds(), kind, customerListId, customerNo, profileId, detail },
            transaction.Transaction,
            cancellationToken: cancellationToken));

    public async Task<IReadOnlyList<AuditEvent>> ForCustomerAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long OccurredAt, string Kind, string? ProfileId, string? Detail)>(new CommandDefinition(
            "SELECT occurred_at, kind, profile_id, detail FROM audit_events WHERE customer_list_id = @customerListId AND customer_no = @customerNo ORDER BY id",
            new { customerListId, customerNo },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AuditEvent(DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt), r.Kind, r.ProfileId, r.Detail))];
    }
}
