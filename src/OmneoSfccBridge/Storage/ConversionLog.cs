using Dapper;

namespace OmneoSfccBridge.Storage;

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
