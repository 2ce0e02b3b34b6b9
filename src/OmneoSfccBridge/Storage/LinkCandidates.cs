using Dapper;

namespace OmneoSfccBridge.Storage;

/// <summary>Possible matches the linker did not take, kept for support and for completing a conversion later.</summary>
public sealed class LinkCandidates(BridgeDatabase database, TimeProvider time)
{
    /// <summary>Records (or refreshes) an open candidate.</summary>
    public async Task RecordAsync(string customerListId, string customerNo, string profileId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO link_candidates (customer_list_id, customer_no, profile_id, reason, detected_at)
            VALUES (@customerListId, @customerNo, @profileId, @reason, @now)
            ON CONFLICT (customer_list_id, customer_no, profile_id) DO UPDATE SET
                reason = excluded.reason, detected_at = excluded.detected_at, resolved_at = NULL, resolution = NULL
            """,
            new { customerListId, customerNo, profileId, reason, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Closes every open candidate of the customer with <paramref name="resolution"/>.</summary>
    public async Task ResolveAllAsync(string customerListId, string customerNo, string resolution, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE link_candidates SET resolved_at = @now, resolution = @resolution
            WHERE customer_list_id = @customerListId AND customer_no = @customerNo AND resolved_at IS NULL
            """,
            new { customerListId, customerNo, resolution, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Every candidate of the customer, open ones first, newest first.</summary>
    public async Task<IReadOnlyList<LinkCandidate>> ForCustomerAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string ProfileId, string Reason, long DetectedAt, long? ResolvedAt, string? Resolution)>(new CommandDefinition(
            """
            SELECT profile_id, reason, detected_at, resolved_at, resolution FROM link_candidates
            WHERE customer_list_id = @customerListId AND customer_no = @customerNo
            ORDER BY CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END, detected_at DESC, profile_id
            """,
            new { customerListId, customerNo },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new LinkCandidate(
            r.ProfileId,
            r.Reason,
            DateTimeOffset.FromUnixTimeMilliseconds(r.DetectedAt),
            r.ResolvedAt is { } resolved ? DateTimeOffset.FromUnixTimeMilliseconds(resolved) : null,
            r.Resolution))];
    }
}
