namespace OmneoSfccBridge.Sync;

/// <summary>What a page's push did, and how many of its customers it pushed (the rest were passed over as unchanged).</summary>
internal readonly record struct PageCounts(SyncCounts Counts, int Pushed);
