using System.Data.Common;
using Dapper;

namespace OmneoSfccBridge.Storage;

/// <summary>
/// The mapping store: SFCC customer ↔ Omneo profile, the hot path's only lookup once linked. Every write to a
/// customer's link drops it from <paramref name="cache"/> (when there is one), so <see cref="FindRecentAsync"/> never
/// answers with a link this instance has since changed or removed.
/// </summary>
public sealed class CustomerLinkStore(BridgeDatabase database, TimeProvider time, CustomerLinkCache? cache = null)
{
    private const string Columns =
        "customer_list_id AS CustomerListId, customer_no AS CustomerNo, sfcc_customer_id AS SfccCustomerId, profile_id AS ProfileId, " +
        "match_source AS MatchSource, created_at AS CreatedAt, updated_at AS UpdatedAt, last_refreshed_at AS LastRefreshedAt, sfcc_state_hash AS SfccStateHash, email_withheld AS EmailWithheld";

    private const string ClearCreation = "DELETE FROM profile_creations WHERE customer_list_id = @customerListId AND customer_no = @customerNo";

    public async Task<CustomerLink?> FindAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LinkRow>(new CommandDefinition(
            $"SELECT {Columns} FROM customer_links WHERE customer_list_id = @customerListId AND customer_no = @customerNo",
            new { customerListId, customerNo },
            cancellationToken: cancellationToken));
        return row?.ToLink();
    }

    /// <summary>
    /// As <see cref="FindAsync"/>, for a login: the link may come from memory, as stored at most
    /// <c>CustomerAuth:LinkCacheSeconds</c> ago (a change made by another instance shows within that time; one made
    /// through this store, at once). Never for a decision that writes a link: those read <see cref="FindAsync"/> under the
    /// customer's lock.
    /// </summary>
    public ValueTask<CustomerLink?> FindRecentAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        if (cache is not { Enabled: true })
        {
            return new ValueTask<CustomerLink?>(FindAsync(customerListId, customerNo, cancellationToken));
        }

        return cache.TryGet(customerListId, customerNo, out var cached)
            ? ValueTask.FromResult(cached)
            : new ValueTask<CustomerLink?>(ReadAndCacheAsync(cache, customerListId, customerNo, cancellationToken));
    }

    private async Task<CustomerLink?> ReadAndCacheAsync(CustomerLinkCache linkCache, string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        var writes = linkCache.WritesSoFar;
        var link = await FindAsync(customerListId, customerNo, cancellationToken);
        if (link is not null)
        {
            linkCache.Store(link, writes);
        }

        return link;
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

    /// <summary>The customer of <paramref name="customerListId"/> linked to <paramref name="profileId"/>, if any.</summary>
    public async Task<CustomerLink?> FindByProfileAsync(string customerListId, string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LinkRow>(new CommandDefinition(
            $"SELECT {Columns} FROM customer_links WHERE customer_list_id = @customerListId AND profile_id = @profileId",
            new { customerListId, profileId },
            cancellationToken: cancellationToken));
        return row?.ToLink();
    }

    /// <summary>
    /// Creates the link or points an existing one at <paramref name="profileId"/> (a new profile starts its sync
    /// afresh). Null when the profile is already linked to another customer of the list: the unique index refused it,
    /// and nothing was written.
    /// </summary>
    public async Task<CustomerLink?> TryUpsertAsync(string customerListId, string customerNo, string? sfccCustomerId, string profileId, string matchSource, bool emailWithheld, CancellationToken cancellationToken)
    {
        using var invalidation = Invalidating(customerListId, customerNo);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await TryUpsertAsync(connection, null, customerListId, customerNo, sfccCustomerId, profileId, matchSource, emailWithheld, cancellationToken);
    }

    /// <summary>
    /// As <see cref="TryUpsertAsync(string, string, string?, string, string, bool, CancellationToken)"/>, in
    /// <paramref name="transaction"/>: null when the unique index refused it, and then the caller rolls back (on
    /// PostgreSQL the refusal ends the transaction). The customer's cached link is dropped when the transaction is over.
    /// </summary>
    public Task<CustomerLink?> TryUpsertAsync(BridgeTransaction transaction, string customerListId, string customerNo, string? sfccCustomerId, string profileId, string matchSource, bool emailWithheld, CancellationToken cancellationToken)
    {
        transaction.WhenOver(() => cache?.Invalidate(customerListId, customerNo));
        return TryUpsertAsync(transaction.Connection, transaction.Transaction, customerListId, customerNo, sfccCustomerId, profileId, matchSource, emailWithheld, cancellationToken);
    }

    private async Task<CustomerLink?> TryUpsertAsync(DbConnection connection, DbTransaction? transaction, string customerListId, string customerNo, string? sfccCustomerId, string profileId, string matchSource, bool emailWithheld, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            var row = await connection.QuerySingleAsync<LinkRow>(new CommandDefinition(
                $"""
                INSERT INTO customer_links (customer_list_id, customer_no, sfcc_customer_id, profile_id, match_source, created_at, updated_at, email_withheld)
                VALUES (@customerListId, @customerNo, @sfccCustomerId, @profileId, @matchSource, @now, @now, @withheld)
                ON CONFLICT (customer_list_id, customer_no) DO UPDATE SET
                    profile_id = excluded.profile_id,
                    match_source = excluded.match_source,
                    sfcc_customer_id = COALESCE(excluded.sfcc_customer_id, customer_links.sfcc_customer_id),
                    email_withheld = excluded.email_withheld,
                    synced_state = CASE WHEN customer_links.profile_id = excluded.profile_id THEN customer_links.synced_state END,
                    sfcc_state_hash = CASE WHEN customer_links.profile_id = excluded.profile_id THEN customer_links.sfcc_state_hash END,
                    omneo_state_hash = CASE WHEN customer_links.profile_id = excluded.profile_id THEN customer_links.omneo_state_hash END,
                    updated_at = excluded.updated_at
                RETURNING {Columns}
                """,
                new { customerListId, customerNo, sfccCustomerId, profileId, matchSource, now, withheld = emailWithheld ? 1 : 0 },
                transaction,
                cancellationToken: cancellationToken));
            return row.ToLink();
        }
        catch (Exception ex) when (BridgeDatabase.IsUniqueViolation(ex))
        {
            return null;
        }
    }

    /// <summary>As <see cref="TryUpsertAsync(string, string, string?, string, string, bool, CancellationToken)"/> for a link that must be made: a profile linked to another customer is an error.</summary>
    public async Task<CustomerLink> UpsertAsync(string customerListId, string customerNo, string? sfccCustomerId, string profileId, string matchSource, CancellationToken cancellationToken) =>
        await TryUpsertAsync(customerListId, customerNo, sfccCustomerId, profileId, matchSource, emailWithheld: false, cancellationToken)
        ?? throw new InvalidOperationException($"Omneo profile {profileId} is already linked to another customer of list {customerListId}.");

    /// <summary>
    /// Notes that a profile is about to be created for the customer with their email. A crash between Omneo's create
    /// and the link leaves the note behind, so the next attempt can tell the profile it made from anyone else's.
    /// </summary>
    public async Task NoteCreationAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var write = await database.BeginStatementAsync(cancellationToken);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO profile_creations (customer_list_id, customer_no, started_at) VALUES (@customerListId, @customerNo, @now)
            ON CONFLICT (customer_list_id, customer_no) DO UPDATE SET started_at = excluded.started_at
            """,
            new { customerListId, customerNo, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>When an interrupted creation for the customer started, if one was left behind.</summary>
    public async Task<DateTimeOffset?> InterruptedCreationAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var startedAt = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT started_at FROM profile_creations WHERE customer_list_id = @customerListId AND customer_no = @customerNo",
            new { customerListId, customerNo },
            cancellationToken: cancellationToken));
        return startedAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public async Task ClearCreationAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ClearCreation, new { customerListId, customerNo }, cancellationToken: cancellationToken));
    }

    /// <summary>As <see cref="ClearCreationAsync(string, string, CancellationToken)"/>, in <paramref name="transaction"/>: the note goes if and only if it commits.</summary>
    public async Task ClearCreationAsync(BridgeTransaction transaction, string customerListId, string customerNo, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteAsync(new CommandDefinition(ClearCreation, new { customerListId, customerNo }, transaction.Transaction, cancellationToken: cancellationToken));

    /// <summary>The links the schema migration set aside because two customers were linked to one profile.</summary>
    public async Task<IReadOnlyList<LinkConflict>> ConflictsAsync(string customerListId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string List, string No, string Profile, string Kept, string Source, long LinkedAt, long MovedAt)>(new CommandDefinition(
            """
            SELECT customer_list_id, customer_no, profile_id, kept_customer_no, match_source, linked_at, moved_at
            FROM link_conflicts WHERE customer_list_id = @customerListId ORDER BY profile_id, customer_no
            """,
            new { customerListId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new LinkConflict(r.List, r.No, r.Profile, r.Kept, r.Source, DateTimeOffset.FromUnixTimeMilliseconds(r.LinkedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.MovedAt)))];
    }

    /// <summary>Remembers the SFCC customer id of a known link, so a locally verified token finds its customer_no.</summary>
    public async Task RememberSfccCustomerIdAsync(string customerListId, string customerNo, string sfccCustomerId, CancellationToken cancellationToken)
    {
        using var invalidation = Invalidating(customerListId, customerNo);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE customer_links SET sfcc_customer_id = @sfccCustomerId WHERE customer_list_id = @customerListId AND customer_no = @customerNo AND (sfcc_customer_id IS NULL OR sfcc_customer_id <> @sfccCustomerId)",
            new { customerListId, customerNo, sfccCustomerId },
            cancellationToken: cancellationToken));
    }

    /// <summary>Records that the Omneo profile now holds the SFCC state with this hash.</summary>
    public async Task MarkRefreshedAsync(string customerListId, string customerNo, string sfccStateHash, CancellationToken cancellationToken)
    {
        using var invalidation = Invalidating(customerListId, customerNo);
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
        using var invalidation = Invalidating(customerListId, customerNo);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var write = await database.BeginStatementAsync(cancellationToken);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE customer_links SET last_refreshed_at = @now, synced_state = @state, sfcc_state_hash = @sfccHash, omneo_state_hash = @omneoHash WHERE customer_list_id = @customerListId AND customer_no = @customerNo",
            new { customerListId, customerNo, state, sfccHash, omneoHash, now },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> DeleteAsync(string customerListId, string customerNo, string profileId, CancellationToken cancellationToken)
    {
        using var invalidation = Invalidating(customerListId, customerNo);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM customer_links WHERE customer_list_id = @customerListId AND customer_no = @customerNo AND profile_id = @profileId",
            new { customerListId, customerNo, profileId },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Drops the customer's cached link once the write is over, whether it changed a row, refused or threw.</summary>
    private LinkWrite Invalidating(string customerListId, string customerNo) => new(cache, customerListId, customerNo);

    private readonly struct LinkWrite(CustomerLinkCache? cache, string customerListId, string customerNo) : IDisposable
    {
        public void Dispose() => cache?.Invalidate(customerListId, customerNo);
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

        public long EmailWithheld { get; init; }

        public CustomerLink ToLink() => new(
            CustomerListId,
            CustomerNo,
            SfccCustomerId,
            ProfileId,
            MatchSource,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt),
            LastRefreshedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null,
            SfccStateHash,
            EmailWithheld != 0);
    }
}
