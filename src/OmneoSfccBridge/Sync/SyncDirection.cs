namespace OmneoSfccBridge.Sync;

/// <summary>The direction a sync failure is recorded under (stored in <c>sync_failures.direction</c> and shown by the admin API).</summary>
public static class SyncDirection
{
    public const string SfccToOmneo = "sfcc_to_omneo";
    public const string OmneoToSfcc = "omneo_to_sfcc";
}
