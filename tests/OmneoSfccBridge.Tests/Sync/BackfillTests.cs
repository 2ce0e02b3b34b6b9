using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OmneoSfccBridge.Observability;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sync;

public sealed class BackfillTests : IDisposable
{
    private readonly SandboxSfcc _sfcc = new(TimeProvider.System);
    private readonly SandboxOmneo _omneo = new(TimeProvider.System);
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-backfill-").FullName;

    private void AssertEveryCustomerInOmneoOnce(IReadOnlyList<SandboxCustomer> customers)
    {
        var identities = _omneo.All().SelectMany(p => p.Identities.Where(i => i.Handle == "sfcc").Select(i => i.Identifier)).ToList();
        Assert.Equal(customers.Select(c => c.CustomerNo).Order(), identities.Order());
        Assert.Equal(customers.Count, _omneo.All().Count);
    }

    [Fact]
    public async Task Backfill_EveryCustomer_ReachesOmneoAndProgressIsReported()
    {
        var customers = Enumerable.Range(1, 23).Select(i => _sfcc.AddCustomer($"b{i}@example.com", "pw", $"B{i}", "Fill")).ToList();
        using var bridge = new SandboxBridge(_sfcc, _omneo);

        var started = await bridge.Admin.PostAsync("/admin/sync/backfill", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var backfill = await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");

        AssertEveryCustomerInOmneoOnce(customers);
        Assert.Equal(23, backfill.GetProperty("done").GetInt64());
        Assert.Equal(23, backfill.GetProperty("total").GetInt64());
        Assert.True(backfill.GetProperty("rate_per_second").GetDouble() > 0);
    }

    [Fact]
    public async Task Backfill_ChainedJobs_TakeOnlyTheirPageAndTheProgressStaysInTheStore()
    {
        Enumerable.Range(1, 23).ToList().ForEach(i => _sfcc.AddCustomer($"h{i}@example.com", "pw", $"H{i}", "Fill"));
        using var bridge = new SandboxBridge(_sfcc, _omneo);

        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        var backfill = await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");
        var succeeded = await Eventually.ReturnsAsync(() =>
        {
            var html = bridge.Admin.GetStringAsync("/hangfire/jobs/succeeded").GetAwaiter().GetResult();
            return html.Contains("from page 5", StringComparison.Ordinal) ? html : null;
        });

        Assert.Contains("Backfill SFCC → Omneo from page 1", succeeded);
        Assert.Contains("Backfill SFCC → Omneo from page 3", succeeded);
        Assert.DoesNotContain(" done (", succeeded);
        Assert.Equal(23, backfill.GetProperty("done").GetInt64());
    }

    [Fact]
    public async Task Backfill_CustomersUnchangedSinceTheirLastSync_CostNoOmneoCallAndNoWrite()
    {
        var customers = Enumerable.Range(1, 12).Select(i => _sfcc.AddCustomer($"u{i}@example.com", "pw", $"U{i}", "Same")).ToList();
        using var bridge = new SandboxBridge(_sfcc, _omneo);
        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");
        AssertEveryCustomerInOmneoOnce(customers);
        var database = bridge.Bridge.Services.GetRequiredService<BridgeDatabase>();
        var before = await RowsAsync(database);
        using var upstream = new MetricCollector<double>(bridge.Bridge.Services.GetRequiredService<IMeterFactory>(), BridgeMetrics.MeterName, "bridge.upstream.request.duration");

        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        var again = await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");

        Assert.Equal(12, again.GetProperty("done").GetInt64());
        var calls = upstream.GetMeasurementSnapshot();
        Assert.Contains(calls, m => (string?)m.Tags["upstream.system"] == "sfcc");
        Assert.DoesNotContain(calls, m => (string?)m.Tags["upstream.system"] == "omneo");
        Assert.Equal(before, await RowsAsync(database));
        AssertEveryCustomerInOmneoOnce(customers);
    }

    [Fact]
    public async Task Backfill_RerunOverUnchangedCustomers_AppliesEveryPageInOneJob()
    {
        var customers = Enumerable.Range(1, 12).Select(i => _sfcc.AddCustomer($"o{i}@example.com", "pw", $"O{i}", "Once")).ToList();
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: new Dictionary<string, string?> { ["Sync:PageSize"] = "4" });
        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");
        var monitoring = bridge.Bridge.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        // The run is marked completed inside its last job, just before Hangfire marks that job succeeded.
        string? SucceededAtLeast(long count) =>
            monitoring.SucceededJobs(0, 10_000).Count(j => j.Value.Job?.Type == typeof(BackfillJob)) is var n && n >= count ? n.ToString(CultureInfo.InvariantCulture) : null;
        var first = long.Parse(await Eventually.ReturnsAsync(() => SucceededAtLeast(4)), CultureInfo.InvariantCulture);
        using var upstream = new MetricCollector<double>(bridge.Bridge.Services.GetRequiredService<IMeterFactory>(), BridgeMetrics.MeterName, "bridge.upstream.request.duration");

        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        var again = await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");
        var total = long.Parse(await Eventually.ReturnsAsync(() => SucceededAtLeast(first + 1)), CultureInfo.InvariantCulture);

        // Four pages (three of four customers, then an empty one) the first time, one job each (new customers are
        // pushed while the next page is read); the second time nothing is pushed, so one job walks all four, each
        // page's read started while the page before it was handled, and none read past the short last page.
        Assert.Equal(4, first);
        Assert.Equal(12, again.GetProperty("done").GetInt64());
        Assert.Equal(first + 1, total);
        Assert.Equal(4, SfccSearches(upstream));
        AssertEveryCustomerInOmneoOnce(customers);
    }

    [Fact]
    public async Task Backfill_RerunWithAChangeOnItsThirdPage_PushesOnlyThatCustomerAndReadsEveryPage()
    {
        var customers = Enumerable.Range(1, 12).Select(i => _sfcc.AddCustomer($"a{i}@example.com", "pw", $"A{i}", "Ahead")).ToList();
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: new Dictionary<string, string?> { ["Sync:PageSize"] = "4" });
        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");
        _sfcc.Update(customers[9].CustomerNo, c => c.LastName = "Changed");
        using var upstream = new MetricCollector<double>(bridge.Bridge.Services.GetRequiredService<IMeterFactory>(), BridgeMetrics.MeterName, "bridge.upstream.request.duration");

        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        var again = await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");

        // Pages one and two are carried on to with their reads started ahead; page three (read ahead too) has the
        // change, so it is pushed and queues page four, whose read ahead is dropped and made again by its own job.
        Assert.Equal(12, again.GetProperty("done").GetInt64());
        Assert.Equal(["Changed"], _omneo.All().Where(p => p.LastName != "Ahead").Select(p => p.LastName));
        Assert.Equal(customers[9].Email, _omneo.All().Single(p => p.LastName == "Changed").Email);
        Assert.InRange(SfccSearches(upstream), 4, 5);
        AssertEveryCustomerInOmneoOnce(customers);
    }

    private static int SfccSearches(MetricCollector<double> upstream) =>
        upstream.GetMeasurementSnapshot().Count(m => (string?)m.Tags["upstream.system"] == "sfcc" && m.Tags["upstream.operation"] is string operation
            && operation.Contains("SearchCustomers", StringComparison.Ordinal) && m.Tags.ContainsKey("http.response.status_code"));

    /// <summary>Every row the sync writes per customer (links, audit, failures), as text, to compare before and after.</summary>
    private static async Task<string> RowsAsync(BridgeDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var links = await connection.QueryAsync<string>("SELECT customer_no || '|' || profile_id || '|' || updated_at || '|' || COALESCE(last_refreshed_at, 0) || '|' || COALESCE(synced_state, '') || '|' || COALESCE(sfcc_state_hash, '') FROM customer_links ORDER BY customer_no");
        var audit = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_events");
        var failures = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sync_failures");
        return string.Join("\n", links) + $"\naudit {audit}, failures {failures}";
    }

    [Fact]
    public async Task Backfill_PageRunAgainAfterItsWorkerDiedBeforeMarkingIt_PushesNothingStoresNoSecondSuccessorAndCompletes()
    {
        var customers = Enumerable.Range(1, 12).Select(i => _sfcc.AddCustomer($"r{i}@example.com", "pw", $"R{i}", "Rerun")).ToList();
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: new Dictionary<string, string?> { ["Sync:PageSize"] = "4" });
        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        await bridge.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");
        var database = bridge.Bridge.Services.GetRequiredService<BridgeDatabase>();
        var store = bridge.Bridge.Services.GetRequiredService<SyncStore>();
        var before = await RowsAsync(database);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            // Pages 1-3 hold four customers each, page 4 reads none: the worker of page 2 pushed it and died unmarked.
            Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM backfill_pages"));
            await connection.ExecuteAsync("UPDATE backfill_pages SET done_at = NULL, customers = NULL WHERE page = 2");
        }

        var run = BackfillProgress.FromJson(await store.GetStateAsync(BackfillProgress.Key, CancellationToken.None))!;
        await store.SetStateAsync(BackfillProgress.Key, (run with { Status = RunStatus.Running, FinishedAt = null }).ToJson(), CancellationToken.None);
        Assert.Equal(8, (await store.GetBackfillAsync(CancellationToken.None))!.Done);
        using var upstream = new MetricCollector<double>(bridge.Bridge.Services.GetRequiredService<IMeterFactory>(), BridgeMetrics.MeterName, "bridge.upstream.request.duration");

        await bridge.Bridge.Services.GetRequiredService<BackfillJob>().RunPageAsync(2, CancellationToken.None);

        var backfill = (await store.GetBackfillAsync(CancellationToken.None))!;
        Assert.Equal(RunStatus.Completed, backfill.Status);
        Assert.Equal(12, backfill.Done);
        Assert.DoesNotContain(upstream.GetMeasurementSnapshot(), m => (string?)m.Tags["upstream.system"] == "omneo");
        Assert.Equal(before, await RowsAsync(database));
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM backfill_pages"));
        }

        AssertEveryCustomerInOmneoOnce(customers);
    }

    [Fact]
    public async Task Backfill_WhileOneRuns_Is409()
    {
        using var bridge = new SandboxBridge(_sfcc, _omneo);
        var now = DateTimeOffset.UtcNow;
        await bridge.Bridge.Services.GetRequiredService<SyncStore>().SetStateAsync(
            BackfillProgress.Key, new BackfillProgress("running", null, 0, 999, 0, null, now, now, null).ToJson(), CancellationToken.None);

        var second = await bridge.Admin.PostAsync("/admin/sync/backfill", null);

        await second.AssertProblemAsync(409);
    }

    [Fact]
    public async Task Backfill_HostStoppedMidRun_ResumesOnRestartAndEveryCustomerIsInOmneoOnce()
    {
        var customers = Enumerable.Range(1, 40).Select(i => _sfcc.AddCustomer($"c{i}@example.com", "pw", $"C{i}", "Crash")).ToList();
        var database = Path.Combine(_directory, "bridge.db");
        using (var first = new SandboxBridge(_sfcc, _omneo, database, overrides: new Dictionary<string, string?> { ["Sync:PageSize"] = "4", ["Sync:Parallelism"] = "2" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await first.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
            await first.BackfillReachesAsync(b => b.GetProperty("done").GetInt64() >= 8);
        }

        var interrupted = _omneo.All().Count;
        using var second = new SandboxBridge(_sfcc, _omneo, database, overrides: new Dictionary<string, string?> { ["Sync:PageSize"] = "4" });
        var backfill = await second.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");

        Assert.InRange(interrupted, 8, 39);
        AssertEveryCustomerInOmneoOnce(customers);
        Assert.Equal(40, backfill.GetProperty("done").GetInt64());
    }

    [Fact]
    public async Task Backfill_ProcessKilledWithSigkillMidRun_ResumesInANewProcessAndEveryCustomerIsInOmneoOnce()
    {
        var customers = Enumerable.Range(1, 1200).Select(i => _sfcc.AddCustomer($"k{i}@example.com", "pw", $"K{i}", "Killed")).ToList();
        await using var bridge = new BridgeProcess(new Dictionary<string, string?>(SandboxLandscape.UpstreamSettings(_sfcc, _omneo))
        {
            ["Admin:ApiKey"] = BridgeFactory.AdminKey,
            ["Admin:PermitsPerMinute"] = "0", // the test polls the status; a slow run must not make that a 429
            ["Storage:Provider"] = "Sqlite",
            ["Sync:DeltaIntervalMinutes"] = "0",
            ["Sync:PageSize"] = "25",
            ["Sync:Parallelism"] = "4",
            ["Sync:LeaseSeconds"] = "10",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await bridge.StartAsync();
        using (var first = bridge.AdminClient())
        {
            Assert.Equal(HttpStatusCode.Accepted, (await first.PostAsync(new Uri("/admin/sync/backfill", UriKind.Relative), null)).StatusCode);
            await BridgeProcessAdmin.BackfillReachesAsync(first, b => b.GetProperty("done").GetInt64() >= 300);
        }

        // Kill it in the middle of a page: some of the page's customers are in Omneo, its progress is not stored.
        await Eventually.ReturnsAsync(() => _omneo.All().Count % 25 != 0 ? "mid-page" : null);
        await bridge.KillAsync();
        var atKill = _omneo.All().Count;

        Assert.True(bridge.HasExited);
        Assert.InRange(atKill, 300, customers.Count - 1);
        await bridge.StartAsync();
        using var second = bridge.AdminClient();
        var backfill = await BridgeProcessAdmin.BackfillReachesAsync(second, b => b.GetProperty("status").GetString() == "completed");

        AssertEveryCustomerInOmneoOnce(customers);
        Assert.Equal(customers.Count, backfill.GetProperty("done").GetInt64());
        Assert.Equal(customers.Count, backfill.GetProperty("total").GetInt64());
    }



    public void Dispose()
    {
        _sfcc.Dispose();
        _omneo.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

