namespace OmneoSfccBridge.Sync;

/// <summary>A backfill queued: what it means and where to follow it, with its progress so far.</summary>
public sealed record BackfillQueued(string Detail, BackfillView Backfill, string StatusUrl = SyncAdminEndpoints.StatusPath);
