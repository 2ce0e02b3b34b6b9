using Dapper;

namespace OmneoSfccBridge.Storage;

/// <summary>One SFCC customer (customer list + customer_no) linked to one Omneo profile.</summary>
public sealed record CustomerLink(
    string CustomerListId,
    string CustomerNo,
    string? SfccCustomerId,
    string ProfileId,
    string MatchSource,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastRefreshedAt,
    string? SfccStateHash);

/// <summary>What the sync last wrote for a linked customer; all null before the first sync.</summary>
public sealed record CustomerSyncBase(string? State, string? SfccHash, string? OmneoHash);

/// <summary>The mapping store: SFCC customer ↔ Omneo profile, the hot path's only lookup once linked.</summary>
public sealed class CustomerLinkStore(BridgeDatabase database, TimeProvider time)
{
    private const string Columns =
        "customer_list_id AS CustomerListId, customer_no AS CustomerNo, sfcc_customer_id AS SfccCustomerId, profile_id AS ProfileId, " +
        "match_source AS MatchSource, created_at AS CreatedAt, updated_at AS UpdatedAt, last_refreshed_at AS LastRefreshedAt, sfcc_state_hash AS SfccStateHash";

    public async Task<CustomerLink?> FindAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LinkRow>(new CommandDefinition(
            $"SELECT {Columns} FROM customer_links WHERE customer_list_id = @customerListId AND customer_no = @customerNo",
            new { customerListId, customerNo },
            cancellationToken: cancellationToken));
        return row?.ToLink();
    }

    public async Task<CustomerLink?> FindBySfccCustomerIdAsync(string customerListId, string sfccCustomerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<LinkRow>(new CommandDefinition(
            $"SELECT {Columns} FROM customer_links WHERE customer_list_id = @customerListId AND sfcc_customer_id = @sfccCustomerId",
            new { customerListId, sfccCustomerId },
            cancellationToken: cancellationToken));
        return row?.ToLink();
    }

    public async Task<IReadOnlyList<CustomerLink>> FindByProfileAsync(string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<LinkRow>(new CommandDefinition(
            $"SELECT {Columns} FROM customer_links WHERE profile_id = @profileId",
            new { profileId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToLink())];
    }

    /// <summary>Creates the link or points an existing one at <paramref name="profileId"/>.</summary>
    public async Task<CustomerLink> UpsertAsync(string customerListId, string customerNo, string? sfccCustomerId, string profileId, string matchSource, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<LinkRow>(new CommandDefinition(
            $"""
            INSERT INTO customer_links (customer_list_id, customer_no, sfcc_customer_id, profile_id, match_source, created_at, updated_at)
            VALUES (@customerListId, @customerNo, @sfccCustomerId, @profileId, @matchSource, @now, @now)
            ON CONFLICT (customer_list_id, customer_no) DO UPDATE SET
                profile_id = excluded.profile_id,
                match_source = excluded.match_source,
                sfcc_customer_id = COALESCE(excluded.sfcc_customer_id, customer_links.sfcc_customer_id),
                updated_at = excluded.updated_at
            RETURNING {Columns}
            """,
            new { customerListId, customerNo, sfccCustomerId, profileId, matchSource, now },
            cancellationToken: cancellationToken));
        return row.ToLink();
    }

    /// <summary>Remembers the SFCC customer id of a known link, so a locally verified token finds its customer_no.</summary>
    public async Task RememberSfccCustomerIdAsync(string customerListId, string customerNo, string sfccCustomerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE customer_links SET sfcc_customer_id = @sfccCustomerId WHERE customer_list_id = @customerListId AND customer_no = @customerNo AND (sfcc_customer_id IS NULL OR sfcc_customer_id <> @sfccCustomerId)",
            new { customerListId, customerNo, sfccCustomerId },
            cancellationToken: cancellationToken));
    }

    /// <summary>Records that the Omneo profile now holds the SFCC state with this hash.</summary>
    public async Task MarkRefreshedAsync(string customerListId, string customerNo, string sfccStateHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE customer_links SET last_refreshed_at = @now, sfcc_state_hash = @sfccStateHash WHERE customer_list_id = @customerListId AND customer_no = @customerNo",
            new { customerListId, customerNo, sfccStateHash, now },
            cancellationToken: cancellationToken));
    }

    /// <summary>The last state both sides agreed on (JSON of the shared fields) and the hashes synced in each direction.</summary>
    public async Task<CustomerSyncBase> GetSyncBaseAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string? State, string? SfccHash, string? OmneoHash)>(new CommandDefinition(
            "SELECT synced_state, sfcc_state_hash, omneo_state_hash FROM customer_links WHERE customer_list_id = @customerListId AND customer_no = @customerNo",
            new { customerListId, customerNo },
            cancellationToken: cancellationToken));
        return new CustomerSyncBase(row.State, row.SfccHash, row.OmneoHash);
    }

    /// <summary>Records the agreed state and the hash of what each side now holds, so its echo from either side is a no-op.</summary>
    public async Task MarkSyncedAsync(string customerListId, string customerNo, string state, string sfccHash, string omneoHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE customer_links SET last_refreshed_at = @now, synced_state = @state, sfcc_state_hash = @sfccHash, omneo_state_hash = @omneoHash WHERE customer_list_id = @customerListId AND customer_no = @customerNo",
            new { customerListId, customerNo, state, sfccHash, omneoHash, now },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> DeleteAsync(string customerListId, string customerNo, string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM customer_links WHERE customer_list_id = @customerListId AND customer_no = @customerNo AND profile_id = @profileId",
            new { customerListId, customerNo, profileId },
            cancellationToken: cancellationToken)) > 0;
    }

    private sealed class LinkRow
    {
        public string CustomerListId { get; init; } = "";

        public string CustomerNo { get; init; } = "";

        public string? SfccCustomerId { get; init; }

        public string ProfileId { get; init; } = "";

        public string MatchSource { get; init; } = "";

        public long CreatedAt { get; init; }

        public long UpdatedAt { get; init; }

        public long? LastRefreshedAt { get; init; }

        public string? SfccStateHash { get; init; }

        public CustomerLink ToLink() => new(
            CustomerListId,
            CustomerNo,
            SfccCustomerId,
            ProfileId,
            MatchSource,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt),
            LastRefreshedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null,
            SfccStateHash);
    }
}
