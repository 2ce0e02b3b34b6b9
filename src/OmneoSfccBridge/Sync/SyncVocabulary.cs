namespace OmneoSfccBridge.Sync;

/// <summary>The direction a sync failure is recorded under (stored in <c>sync_failures.direction</c> and shown by the admin API).</summary>
public static class SyncDirection
{
    public const string SfccToOmneo = "sfcc_to_omneo";
    public const string OmneoToSfcc = "omneo_to_sfcc";
}

/// <summary>Where a stored Omneo webhook delivery stands (stored in <c>webhook_events.status</c> and shown by the admin API).</summary>
public static class WebhookStatus
{
    /// <summary>Received and stored; its job has not settled it yet.</summary>
    public const string Pending = "pending";

    /// <summary>Settled: something was reconciled or relinked.</summary>
    public const string Applied = "applied";

    /// <summary>Settled: nothing of the bridge's was concerned (no linked customer, no link to move).</summary>
    public const string Skipped = "skipped";

    /// <summary>Settled: not an event the bridge acts on, or no usable profile id.</summary>
    public const string Ignored = "ignored";
}

/// <summary>Where a backfill or delta run stands (stored in <c>sync_state</c> and <c>sync_runs.outcome</c>, shown by the admin API).</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}
