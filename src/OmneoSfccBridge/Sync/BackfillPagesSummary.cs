namespace OmneoSfccBridge.Sync;

/// <summary>A backfill's pages summed (see <see cref="SyncStore.BackfillPagesAsync"/>).</summary>
public sealed record BackfillPagesSummary(long Done, DateTimeOffset? UpdatedAt, bool Complete);
