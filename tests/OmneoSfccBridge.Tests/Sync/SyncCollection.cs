namespace OmneoSfccBridge.Tests.Sync;

/// <summary>
/// The sync tests start and stop many bridge hosts. Hangfire keeps process-wide state (its log provider points at the
/// last host's logger factory), so a host stopping in a parallel test can break a job being queued in another: these
/// tests run on their own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SyncCollection
{
    public const string Name = "Sync";
}
