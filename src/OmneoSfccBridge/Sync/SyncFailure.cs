namespace OmneoSfccBridge.Sync;

/// <summary>A customer set aside by the sync, with why; retried on demand.</summary>
public sealed record SyncFailure(string CustomerNo, string Direction, string Reason, int Attempts, DateTimeOffset FailedAt);
