namespace OmneoSfccBridge.Sync;

/// <summary>A sync run as the status endpoint shows it.</summary>
public sealed record SyncRun(long Id, string Kind, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Outcome, int Customers, int Written, int Failed, string? Detail);
