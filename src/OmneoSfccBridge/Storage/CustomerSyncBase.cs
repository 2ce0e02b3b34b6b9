namespace OmneoSfccBridge.Storage;

/// <summary>What the sync last wrote for a linked customer; all null before the first sync.</summary>
public sealed record CustomerSyncBase(string? State, string? SfccHash, string? OmneoHash);
