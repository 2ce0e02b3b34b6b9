using Dapper;

namespace OmneoSfccBridge.Storage;

/// <summary>
/// Versioned schema scripts, applied in order at start-up inside one transaction each. On PostgreSQL an advisory
/// lock keeps two instances starting together from applying the same script twice.
/// </summary>
internal static class Migrations
{
    private const long PostgresMigrationLockKey = 0x0B41D6E_0001;

    /// <summary>
    /// Each script is written once; <c>{id}</c> stands for the provider's own identity column type, <c>{now}</c> for
    /// the time the script runs (Unix milliseconds).
    /// </summary>
    private static readonly (int Version, string Sql)[] Scripts =
    [
        (1, """
            CREATE TABLE customer_links (
                customer_list_id TEXT NOT NULL,
                customer_no TEXT NOT NULL,
                sfcc_customer_id TEXT NULL,
                profile_id TEXT NOT NULL,
                match_source TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                last_refreshed_at BIGINT NULL,
                sfcc_state_hash TEXT NULL,
                omneo_state_hash TEXT NULL,
                PRIMARY KEY (customer_list_id, customer_no)
            );
            CREATE INDEX ix_customer_links_profile ON customer_links (profile_id);
            CREATE INDEX ix_customer_links_sfcc_customer ON customer_links (sfcc_customer_id);
            CREATE TABLE audit_events (
                id {id},
                occurred_at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                customer_list_id TEXT NULL,
                customer_no TEXT NULL,
                profile_id TEXT NULL,
                detail TEXT NULL
            );
            CREATE INDEX ix_audit_events_customer ON audit_events (customer_list_id, customer_no);
            """),
        (2, """
            CREATE TABLE idempotency_keys (
                idempotency_key TEXT NOT NULL PRIMARY KEY,
                request_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                completed_at BIGINT NULL,
                customer_no TEXT NULL,
                profile_id TEXT NULL
            );
            CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
            CREATE TABLE conversions (
                customer_list_id TEXT NOT NULL,
                customer_no TEXT NOT NULL,
                guest_customer_id TEXT NOT NULL,
                sfcc_customer_id TEXT NULL,
                profile_id TEXT NULL,
                converted_at BIGINT NOT NULL,
                linked_at BIGINT NULL,
                PRIMARY KEY (customer_list_id, customer_no)
            );
            """),
        (3, """
            ALTER TABLE customer_links ADD COLUMN synced_state TEXT NULL;
            CREATE TABLE webhook_events (
                id {id},
                delivery_key TEXT NOT NULL UNIQUE,
                event TEXT NOT NULL,
                profile_id TEXT NULL,
                body TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                status TEXT NOT NULL,
                processed_at BIGINT NULL,
                detail TEXT NULL
            );
            CREATE INDEX ix_webhook_events_profile ON webhook_events (profile_id, status);
            CREATE TABLE sync_state (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE TABLE sync_leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            );
            CREATE TABLE sync_runs (
                id {id},
                kind TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT NULL,
                outcome TEXT NOT NULL,
                customers INTEGER NOT NULL,
                written INTEGER NOT NULL,
                failed INTEGER NOT NULL,
                detail TEXT NULL
            );
            CREATE TABLE sync_failures (
                customer_list_id TEXT NOT NULL,
                customer_no TEXT NOT NULL,
                direction TEXT NOT NULL,
                reason TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                failed_at BIGINT NOT NULL,
                PRIMARY KEY (customer_list_id, customer_no, direction)
            );
            CREATE TABLE sync_conflicts (
                id {id},
                customer_list_id TEXT NOT NULL,
                customer_no TEXT NOT NULL,
                field TEXT NOT NULL,
                winner TEXT NOT NULL,
                rule TEXT NOT NULL,
                detected_at BIGINT NOT NULL
            );
            """),
        (4, """
            ALTER TABLE customer_links ADD COLUMN email_withheld INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE link_candidates (
                customer_list_id TEXT NOT NULL,
                customer_no TEXT NOT NULL,
                profile_id TEXT NOT NULL,
                reason TEXT NOT NULL,
                detected_at BIGINT NOT NULL,
                resolved_at BIGINT NULL,
                resolution TEXT NULL,
                PRIMARY KEY (customer_list_id, customer_no, profile_id)
            );
            CREATE TABLE link_conflicts (
                customer_list_id TEXT NOT NULL,
                customer_no TEXT NOT NULL,
                profile_id TEXT NOT NULL,
                kept_customer_no TEXT NOT NULL,
                match_source TEXT NOT NULL,
                linked_at BIGINT NOT NULL,
                moved_at BIGINT NOT NULL,
                PRIMARY KEY (customer_list_id, customer_no, profile_id)
            );
            INSERT INTO link_conflicts (customer_list_id, customer_no, profile_id, kept_customer_no, match_source, linked_at, moved_at)
            SELECT l.customer_list_id, l.customer_no, l.profile_id,
                   (SELECT k.customer_no FROM customer_links k WHERE k.customer_list_id = l.customer_list_id AND k.profile_id = l.profile_id
                    ORDER BY k.created_at, k.customer_no LIMIT 1),
                   l.match_source, l.created_at, {now}
            FROM customer_links l
            WHERE l.customer_no <> (SELECT k.customer_no FROM customer_links k WHERE k.customer_list_id = l.customer_list_id AND k.profile_id = l.profile_id
                                    ORDER BY k.created_at, k.customer_no LIMIT 1);
            DELETE FROM customer_links
            WHERE EXISTS (SELECT 1 FROM link_conflicts c WHERE c.customer_list_id = customer_links.customer_list_id
                          AND c.customer_no = customer_links.customer_no AND c.profile_id = customer_links.profile_id);
            CREATE UNIQUE INDEX ux_customer_links_profile ON customer_links (customer_list_id, profile_id);
            CREATE TABLE profile_creations (
                customer_list_id TEXT NOT NULL,
                customer_no TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                PRIMARY KEY (customer_list_id, customer_no)
            );
            """),
        // Idempotency-Keys become the guest's own and bodies are kept as a keyed HMAC. The old table's rows (PBKDF2
        // under a salt stored beside them, so open to offline password guessing) are deleted; the table itself stays
        // for instances of the previous release still running during a rolling update on PostgreSQL, and is dropped
        // by a later release (issue 9).
        (5, """
            CREATE TABLE create_idempotency_keys (
                guest_customer_id TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                completed_at BIGINT NULL,
                customer_no TEXT NULL,
                profile_id TEXT NULL,
                PRIMARY KEY (guest_customer_id, idempotency_key)
            );
            CREATE INDEX ix_create_idempotency_keys_created ON create_idempotency_keys (created_at);
            DELETE FROM idempotency_keys;
            """),
        // Backfill pages as rows, so the instances on one PostgreSQL apply pages of one backfill side by side: a page's
        // job stores the next page's cursor (insert-if-absent) before it pushes its own customers (issue 14).
        (6, """
            CREATE TABLE backfill_pages (
                page BIGINT NOT NULL PRIMARY KEY,
                cursor_from TEXT NULL,
                cursor_skip INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                customers INTEGER NULL,
                last_page INTEGER NOT NULL DEFAULT 0,
                done_at BIGINT NULL,
                done_by TEXT NULL
            );
            """),
    ];

    public static Task ApplyAsync(BridgeDatabase database, CancellationToken cancellationToken) =>
        ApplyAsync(database, int.MaxValue, cancellationToken);

    /// <summary>Applies the scripts up to <paramref name="version"/> (tests build an older schema with it, to migrate from).</summary>
    internal static async Task ApplyAsync(BridgeDatabase database, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Provider == StorageProvider.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = PostgresMigrationLockKey });
        }
        else
        {
            // WAL lets readers (logins) go on while a writer (a sync job) commits; the setting is kept in the file.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }

        try
        {
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            foreach (var (script, sql) in Scripts.Where(s => !applied.Contains(s.Version) && s.Version <= version))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(Dialect(sql, database.Provider).Replace("{now}", now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), transaction: transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (@script, @now)",
                    new { script, now },
                    transaction);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (database.Provider == StorageProvider.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = PostgresMigrationLockKey });
            }
        }
    }

    private static string Dialect(string sql, StorageProvider provider) => provider == StorageProvider.Postgres
        ? sql.Replace("{id}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", StringComparison.Ordinal)
        : sql.Replace("{id}", "INTEGER PRIMARY KEY AUTOINCREMENT", StringComparison.Ordinal);

    /// <summary>How many scripts there are (versions may have gaps while branches that add them are apart).</summary>
    internal static int ScriptCount => Scripts.Length;
}
