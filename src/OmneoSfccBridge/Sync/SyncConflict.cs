namespace OmneoSfccBridge.Sync;

/// <summary>A field both sides changed between two syncs, and who won.</summary>
public sealed record SyncConflict(string CustomerNo, string Field, string Winner, string Rule, DateTimeOffset DetectedAt);
