using Dapper;

namespace OmneoSfccBridge.Storage;

/// <summary>A guest who became a registered SFCC customer through the bridge.</summary>
/// <param name="CustomerListId">The SFCC customer list.</param>
/// <param name="CustomerNo">The registered customer's number.</param>
/// <param name="GuestCustomerId">The guest's SFCC customer_id (the registered customer gets another).</param>
/// <param name="SfccCustomerId">The registered customer's SFCC customer_id.</param>
/// <param name="ConvertedAt">When SFCC registered the customer (as the bridge saw it).</param>
/// <param name="ProfileId">The Omneo profile linked; null while the link is completed in the background.</param>
/// <param name="LinkedAt">When the Omneo link was made; null while pending.</param>
public sealed record Conversion(
    string CustomerListId,
    string CustomerNo,
    string GuestCustomerId,
    string? SfccCustomerId,
    string? ProfileId,
    DateTimeOffset ConvertedAt,
    DateTimeOffset? LinkedAt);

/// <summary>The durable record of guest-to-registered conversions, one row per registered customer, for support.</summary>
public sealed class ConversionLog(BridgeDatabase database, TimeProvider time)
{
    /// <summary>Records a conversion; a repeat for the same customer keeps the first record.</summary>
    public async Task RecordAsync(string customerListId, string customerNo, string guestCustomerId, string? sfccCustomerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO conversions (customer_list_id, customer_no, guest_customer_id, sfcc_customer_id, converted_at)
            VALUES (@customerListId, @customerNo, @guestCustomerId, @sfccCustomerId, @now)
            ON CONFLICT (customer_list_id, customer_no) DO NOTHING
            """,
            new { customerListId, customerNo, guestCustomerId, sfccCustomerId, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Notes the Omneo profile the conversion ended linked to; true when this call completed a pending conversion.</summary>
    public async Task<bool> MarkLinkedAsync(string customerListId, string customerNo, string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE conversions SET profile_id = @profileId, linked_at = @now
            WHERE customer_list_id = @customerListId AND customer_no = @customerNo AND (profile_id IS NULL OR profile_id <> @profileId)
            """,
            new { customerListId, customerNo, profileId, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task<Conversion?> FindAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string GuestCustomerId, string? SfccCustomerId, string? ProfileId, long ConvertedAt, long? LinkedAt)>(new CommandDefinition(
            "SELECT guest_customer_id, sfcc_customer_id, profile_id, converted_at, linked_at FROM conversions WHERE customer_list_id = @customerListId AND customer_no = @customerNo",
            new { customerListId, customerNo },
            cancellationToken: cancellationToken));
        return row.GuestCustomerId is null
            ? null
            : new Conversion(
                customerListId,
                customerNo,
                row.GuestCustomerId,
                row.SfccCustomerId,
                row.ProfileId,
                DateTimeOffset.FromUnixTimeMilliseconds(row.ConvertedAt),
                row.LinkedAt is { } linked ? DateTimeOffset.FromUnixTimeMilliseconds(linked) : null);
    }
}
