namespace OmneoSfccBridge.Storage;

/// <summary>Which database keeps the mapping store and Hangfire's jobs.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>Sqlite</c> (default, a local file) or <c>Postgres</c> (shared by several bridge instances).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// SQLite only: Hangfire's own database file. Hangfire's SQLite storage links another copy of the SQLite library,
    /// and two copies in one process must never open the same file (their POSIX locks undo each other), so it
    /// lives beside the mapping store rather than in it. Default: the mapping store's file name plus <c>.hangfire</c>.
    /// </summary>
    public string? HangfireSqlitePath { get; set; }

    /// <summary>
    /// SQLite only: how often an idle Hangfire worker looks for a new job, in milliseconds (50-10,000). Hangfire's
    /// SQLite storage has no signal for a job enqueued in the same process, so this is how long a job waits, at
    /// most, when every worker is idle (the backfill's first page, a webhook delivery, a login refresh).
    /// </summary>
    public int HangfireQueuePollMilliseconds { get; set; } = 100;

    /// <summary>Hangfire workers in this process.</summary>
    public int WorkerCount { get; set; } = 2;

    /// <summary>
    /// Longest wait for a per-customer lock, in seconds (1-300). A request that cannot get it in time is answered
    /// 503 with Retry-After instead of waiting (and, on PostgreSQL, holding a pooled connection) for as long as the
    /// holder's upstream calls take.
    /// </summary>
    public int LockTimeoutSeconds { get; set; } = 15;
}
