namespace OmneoSfccBridge.Sync;

/// <summary>Who wins a field both sides changed, as <see cref="SyncOptions.FieldOwners"/> names it (the names are the configuration values).</summary>
internal enum FieldOwner
{
    Sfcc,
    Omneo,

    /// <summary>The later change, by SFCC last_modified and Omneo updated_at.</summary>
    Newer,
}
