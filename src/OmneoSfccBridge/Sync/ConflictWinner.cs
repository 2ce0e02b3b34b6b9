namespace OmneoSfccBridge.Sync;

/// <summary>The side whose value a conflict kept.</summary>
internal enum ConflictWinner
{
    Sfcc,
    Omneo,
}
