namespace OmneoSfccBridge.Sync;

/// <summary>Why a conflict went the way it did.</summary>
internal enum ConflictRule
{
    /// <summary>The field's owner (<see cref="SyncOptions.FieldOwners"/>, or SFCC for its own security fields).</summary>
    Owner,

    /// <summary>The later change (<see cref="FieldOwner.Newer"/>).</summary>
    Newer,
}
