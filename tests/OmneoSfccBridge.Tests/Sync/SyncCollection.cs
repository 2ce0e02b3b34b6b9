namespace OmneoSfccBridge.Tests.Sync;

/// <summary>
/// Tests that read process-wide state several bridges in one process share, so a bridge of a parallel test would show
/// in what they assert: the spans of the bridge's static ActivitySource (and of ASP.NET Core's and HttpClient's) reach
/// every tracer in the process. They run on their own, after the parallel tests. Hangfire's process-wide state does
/// not need this (each bridge has its own storage and job activator, and <see cref="Infrastructure.HangfireLog"/>
/// keeps its log provider alive), so the sync tests run in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SyncCollection
{
    public const string Name = "Sync";
}
