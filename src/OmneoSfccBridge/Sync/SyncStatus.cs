namespace OmneoSfccBridge.Sync;

/// <summary>Everything support needs to see of the sync at a glance.</summary>
public sealed record SyncStatus(
    DateTimeOffset? Watermark,
    int DeltaIntervalMinutes,
    long LinkedCustomers,
    IReadOnlyList<SyncRun> LastRuns,
    IReadOnlyDictionary<string, long> Webhooks,
    long ConflictsTotal,
    IReadOnlyList<SyncConflict> RecentConflicts,
    long FailedRecordsTotal,
    IReadOnlyList<SyncFailure> FailedRecords,
    BackfillView? Backfill);
