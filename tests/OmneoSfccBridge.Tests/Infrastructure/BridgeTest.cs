using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Sync;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>A test class over one shared bridge and stubbed landscape; every test starts from fresh stubs.</summary>
public abstract class BridgeTest : IClassFixture<BridgeFixture>
{
    /// <summary>How long a test waits at most for the background work a previous test set off.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(3);

    protected BridgeTest(BridgeFixture fixture)
    {
        Fixture = fixture;
        if (fixture.Started)
        {
            SettleAsync(fixture.Bridge.Services).GetAwaiter().GetResult();
        }

        fixture.Stubs.Reset();
        Client = fixture.Bridge.CreateClient();
        fixture.Started = true;
    }

    protected BridgeFixture Fixture { get; }

    protected HttpClient Client { get; }

    protected UpstreamStubs Stubs => Fixture.Stubs;

    protected DateTimeOffset Now => Fixture.Bridge.Time.GetUtcNow();

    /// <summary>
    /// Lets the jobs a previous test of the class set off (an accepted login queues a profile refresh) finish before
    /// this one's stubs are set: left running, they would call the upstreams while this test counts their calls. It
    /// polls for the queues to be empty, not for time; work still going after <see cref="SettleLimit"/> (a retry
    /// scheduled for later, a long job) is left, as before.
    /// </summary>
    private static async Task SettleAsync(IServiceProvider services)
    {
        var refreshes = services.GetRequiredService<LoginRefreshQueue>().Reader;
        var jobs = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        using var limit = new CancellationTokenSource(SettleLimit);
        while (!limit.IsCancellationRequested
            && (refreshes.Count > 0 || jobs.ProcessingCount() > 0 || jobs.Queues().Any(queue => queue.Length > 0)))
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
