namespace OmneoSfccBridge.Sync;

/// <summary>What a run (or a page) did.</summary>
public sealed record SyncCounts(int Customers, int Written, int Failed)
{
    public static SyncCounts operator +(SyncCounts a, SyncCounts b) => new(a.Customers + b.Customers, a.Written + b.Written, a.Failed + b.Failed);
}
