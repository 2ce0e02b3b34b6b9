namespace OmneoSfccBridge.Sync;

/// <summary>Where a backfill or delta run stands (stored in <c>sync_state</c> and <c>sync_runs.outcome</c>, shown by the admin API).</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    /// <summary>A delta that stopped at its page budget and queued its continuation.</summary>
    public const string Continued = "continued";
}
