namespace OmneoSfccBridge.Sync;

/// <summary>What syncing one customer did.</summary>
internal enum SyncOutcome
{
    Unchanged,
    Written,
    Deferred,
    Failed,
    Skipped,

    /// <summary>Omneo no longer has the linked profile (it answered 404): the link was dropped.</summary>
    Unlinked,
}
