using System.Text.Json;
using Dapper;
using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// The sync's durable state: watermarks and cursors, leases that keep a recurring job single
/// across instances, run history, failed records and conflicts. Every write is one statement, so it is atomic.
/// </summary>
public sealed class SyncStore(BridgeDatabase database, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<string?> GetStateAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT value FROM sync_state WHERE name = @name", new { name }, cancellationToken: cancellationToken));
    }

    public async Task SetStateAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sync_state (name, value, updated_at) VALUES (@name, @value, @now) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            new { name, value, now = Now },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Takes or renews a lease by compare-and-swap: only a free, expired, or own lease is taken. Hangfire's own
    /// storage lock can drop silently; this one cannot be held by two holders at once.
    /// </summary>
    public async Task<bool> TryLeaseAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sync_leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE sync_leases.holder = excluded.holder OR sync_leases.expires_at < @now
            """,
            new { name, holder, expires = Now + (long)ttl.TotalMilliseconds, now = Now },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sync_leases SET expires_at = 0 WHERE name = @name AND holder = @holder",
            new { name, holder },
            cancellationToken: cancellationToken));
    }

    /// <summary>Frees every lease; only for a database no other live process can use (SQLite, see <see cref="SqliteProcessLock"/>).</summary>
    public async Task ReleaseAllLeasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE sync_leases SET expires_at = 0", cancellationToken: cancellationToken));
    }

    public async Task<long> StartRunAsync(string kind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<long>(new CommandDefinition(
            "INSERT INTO sync_runs (kind, started_at, outcome, customers, written, failed) VALUES (@kind, @now, @running, 0, 0, 0) RETURNING id",
            new { kind, now = Now, running = RunStatus.Running },
            cancellationToken: cancellationToken));
    }

    public async Task FinishRunAsync(long id, string outcome, SyncCounts counts, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sync_runs SET finished_at = @now, outcome = @outcome, customers = @customers, written = @written, failed = @failed, detail = @detail WHERE id = @id",
            new { id, outcome, customers = counts.Customers, written = counts.Written, failed = counts.Failed, detail, now = Now },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<SyncRun>> RecentRunsAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Kind, long StartedAt, long? FinishedAt, string Outcome, long Customers, long Written, long Failed, string? Detail)>(new CommandDefinition(
            "SELECT id, kind, started_at, finished_at, outcome, customers, written, failed, detail FROM sync_runs ORDER BY id DESC LIMIT @count",
            new { count },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SyncRun(r.Id, r.Kind, FromMs(r.StartedAt), r.FinishedAt is { } f ? FromMs(f) : null, r.Outcome, (int)r.Customers, (int)r.Written, (int)r.Failed, r.Detail))];
    }

    public async Task RecordFailureAsync(string customerListId, string customerNo, string direction, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sync_failures (customer_list_id, customer_no, direction, reason, attempts, failed_at) VALUES (@customerListId, @customerNo, @direction, @reason, 1, @now)
            ON CONFLICT (customer_list_id, customer_no, direction) DO UPDATE SET reason = excluded.reason, attempts = sync_failures.attempts + 1, failed_at = excluded.failed_at
            """,
            new { customerListId, customerNo, direction, reason, now = Now },
            cancellationToken: cancellationToken));
    }

    /// <summary>Clears a set-aside record, if there is one; every sync that succeeds calls this.</summary>
    public async Task ResolveFailureAsync(string customerListId, string customerNo, string direction, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var args = new { customerListId, customerNo, direction };

        // On SQLite even a DELETE that matches nothing takes the database's single write lock; nearly every customer
        // has no failure row, so look first (a read waits for no writer under WAL). A failure recorded between the look
        // and here is one recorded after this resolve, as it could have been after the DELETE.
        if (database.Provider == StorageProvider.Sqlite && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM sync_failures WHERE customer_list_id = @customerListId AND customer_no = @customerNo AND direction = @direction)",
            args,
            cancellationToken: cancellationToken)))
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sync_failures WHERE customer_list_id = @customerListId AND customer_no = @customerNo AND direction = @direction",
            args,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// For one page of customers, in one read: the SFCC hash last synced of each linked customer that the page can pass
    /// over when its document hashes the same (its link not waiting for a withheld email, no failure set aside for it).
    /// </summary>
    public async Task<Dictionary<string, string>> SyncedSfccHashesAsync(string customerListId, IReadOnlyCollection<string> customerNos, CancellationToken cancellationToken)
    {
        if (customerNos.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // One parameter either way: Npgsql takes the array as is; on SQLite the numbers go as one JSON array, since
        // Dapper would expand a list into a parameter per item, and Microsoft.Data.Sqlite binds each of a page's 200 by
        // a search through the statement's parameters (a tenth of the bridge's CPU on an unchanged backfill).
        var postgres = database.Provider == StorageProvider.Postgres;
        var among = postgres ? "= ANY(@customerNos)" : "IN (SELECT value FROM json_each(@customerNos))";
        object numbers = postgres ? customerNos.ToArray() : JsonSerializer.Serialize(customerNos);
        var rows = await connection.QueryAsync<(string CustomerNo, string Hash)>(new CommandDefinition(
            $"""
            SELECT l.customer_no, l.sfcc_state_hash FROM customer_links l
            WHERE l.customer_list_id = @customerListId AND l.customer_no {among}
              AND l.sfcc_state_hash IS NOT NULL AND l.email_withheld = 0
              AND NOT EXISTS (SELECT 1 FROM sync_failures f WHERE f.customer_list_id = l.customer_list_id AND f.customer_no = l.customer_no)
            """,
            new { customerListId, customerNos = numbers },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.CustomerNo, r => r.Hash, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<SyncFailure>> FailuresAsync(string customerListId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string CustomerNo, string Direction, string Reason, long Attempts, long FailedAt)>(new CommandDefinition(
            "SELECT customer_no, direction, reason, attempts, failed_at FROM sync_failures WHERE customer_list_id = @customerListId ORDER BY failed_at, customer_no LIMIT @limit",
            new { customerListId, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SyncFailure(r.CustomerNo, r.Direction, r.Reason, (int)r.Attempts, FromMs(r.FailedAt)))];
    }

    public async Task RecordConflictAsync(string customerListId, string customerNo, string field, string winner, string rule, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sync_conflicts (customer_list_id, customer_no, field, winner, rule, detected_at) VALUES (@customerListId, @customerNo, @field, @winner, @rule, @now)",
            new { customerListId, customerNo, field, winner, rule, now = Now },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<SyncConflict>> RecentConflictsAsync(string customerListId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string CustomerNo, string Field, string Winner, string Rule, long DetectedAt)>(new CommandDefinition(
            "SELECT customer_no, field, winner, rule, detected_at FROM sync_conflicts WHERE customer_list_id = @customerListId ORDER BY id DESC LIMIT @limit",
            new { customerListId, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SyncConflict(r.CustomerNo, r.Field, r.Winner, r.Rule, FromMs(r.DetectedAt)))];
    }

    public async Task<(long Conflicts, long Failures, long Links)> TotalsAsync(string customerListId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM sync_conflicts WHERE customer_list_id = @customerListId),
                   (SELECT COUNT(*) FROM sync_failures WHERE customer_list_id = @customerListId),
                   (SELECT COUNT(*) FROM customer_links WHERE customer_list_id = @customerListId)
            """,
            new { customerListId },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The backfill as the status shows it: the run's record in <c>sync_state</c> (status, start, total, its first
    /// page) with the customers read and the last update summed from its page rows, which any instance writes.
    /// </summary>
    public async Task<BackfillProgress?> GetBackfillAsync(CancellationToken cancellationToken)
    {
        var run = BackfillProgress.FromJson(await GetStateAsync(BackfillProgress.Key, cancellationToken));
        if (run is null)
        {
            return null;
        }

        var pages = await BackfillPagesAsync(run.Page, cancellationToken);
        return run with
        {
            Done = run.Done + pages.Done,
            UpdatedAt = pages.UpdatedAt is { } updated && updated > run.UpdatedAt ? updated : run.UpdatedAt,
        };
    }

    /// <summary>
    /// Where a new backfill's pages start: after every page stored so far (so a stale job of an earlier run never
    /// names a page of this one) and after <paramref name="atLeast"/>; the earlier runs' page rows are deleted.
    /// </summary>
    public async Task<long> NewBackfillFirstPageAsync(long atLeast, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(page), 0) FROM backfill_pages", cancellationToken: cancellationToken));
        var first = Math.Max(last, atLeast) + 1;
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM backfill_pages WHERE page < @first", new { first }, cancellationToken: cancellationToken));
        return first;
    }

    /// <summary>Stores a page's cursor unless the page is stored already (a re-run); true when this call stored it.</summary>
    public async Task<bool> AddBackfillPageAsync(long page, DateTimeOffset? cursor, int skip, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO backfill_pages (page, cursor_from, cursor_skip, created_at) VALUES (@page, @from, @skip, @now) ON CONFLICT (page) DO NOTHING",
            new { page, from = cursor?.ToString("O", System.Globalization.CultureInfo.InvariantCulture), skip, now = Now },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task<BackfillPage?> BackfillPageAsync(long page, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Page, string? From, long Skip, long? DoneAt, string? DoneBy)>(new CommandDefinition(
            "SELECT page, cursor_from, cursor_skip, done_at, done_by FROM backfill_pages WHERE page = @page",
            new { page },
            cancellationToken: cancellationToken));
        return rows.Select(r => new BackfillPage(r.Page, DeltaSyncJob.ParseWatermark(r.From), (int)r.Skip, r.DoneAt is { } d ? FromMs(d) : null, r.DoneBy)).FirstOrDefault();
    }

    /// <summary>Marks a page applied, with the customers it read; false when it was marked already (a concurrent re-run).</summary>
    public async Task<bool> FinishBackfillPageAsync(long page, int customers, bool last, string by, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE backfill_pages SET customers = @customers, last_page = @last, done_at = @now, done_by = @by WHERE page = @page AND done_at IS NULL",
            new { page, customers, last = last ? 1 : 0, by, now = Now },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The pages from <paramref name="first"/> on that are not applied yet (a start-up queues them again).</summary>
    public async Task<IReadOnlyList<long>> OpenBackfillPagesAsync(long first, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT page FROM backfill_pages WHERE page >= @first AND done_at IS NULL ORDER BY page", new { first }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// The pages from <paramref name="first"/> on, summed: customers read by the applied ones, the last time one was
    /// applied, and whether the run is complete (its last page is stored and every page is applied; pages form one
    /// chain, each stored by its predecessor before that one is applied, so none can be missing).
    /// </summary>
    public async Task<BackfillPagesSummary> BackfillPagesAsync(long first, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var (done, updated, open, last) = await connection.QuerySingleAsync<(long, long?, long, long)>(new CommandDefinition(
            """
            SELECT COALESCE(SUM(customers), 0), MAX(done_at),
                   COALESCE(SUM(CASE WHEN done_at IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(last_page), 0)
            FROM backfill_pages WHERE page >= @first
            """,
            new { first },
            cancellationToken: cancellationToken));
        return new BackfillPagesSummary(done, updated is { } u ? FromMs(u) : null, open == 0 && last > 0);
    }

    /// <summary>Deletes the backfill's per-page leases that are free (one row per page would otherwise stay behind).</summary>
    public async Task PurgeFreeLeasesAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sync_leases WHERE name LIKE @pattern AND expires_at < @now",
            new { pattern = prefix + "%", now = Now },
            cancellationToken: cancellationToken));
    }

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
