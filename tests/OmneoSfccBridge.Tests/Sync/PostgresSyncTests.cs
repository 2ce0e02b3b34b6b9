using System.Net;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Sync;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSyncTests(PostgresCluster cluster) : IDisposable
{
    private readonly UpstreamStubs _stubs = new();

    [Fact]
    public async Task Delta_TwoInstancesOnOnePostgres_NeverRunAtTheSameTimeAndShareOneRecurringJob()
    {
        var database = await cluster.CreateDatabaseAsync();
        // Registered in both instances, but daily at midnight: the recurring schedule must not add a run of its own here.
        var settings = new Dictionary<string, string?> { ["Sync:DeltaIntervalMinutes"] = "1440" };
        using var one = new BridgeFactory(_stubs, database, settings);
        using var two = new BridgeFactory(_stubs, database, settings);
        _stubs.Reset();
        var customers = Enumerable.Range(1, 3).Select(i => new { customer_no = $"0000090{i}", email = $"pg{i}@example.com", first_name = $"Pg{i}", last_modified = $"2024-04-0{i}T00:00:00.000Z" }).ToArray();
        _stubs.Sfcc.Given(Request.Create().WithPath($"{Data}/customer_lists/{ListId}/customer_search").UsingPost())
            .RespondWith(Json(200, new { count = 3, start = 0, total = 3, hits = customers.Select(c => new { data = c }).ToArray() }).WithDelay(TimeSpan.FromSeconds(1)));
        _stubs.OmneoAcceptsProfileUpdates();
        var links = one.Services.GetRequiredService<CustomerLinkStore>();
        foreach (var (customer, i) in customers.Select((c, i) => (c, i)))
        {
            await links.UpsertAsync(ListId, customer.customer_no, null, $"990{i}", "identity", CancellationToken.None);
            _stubs.OmneoHasProfile($"990{i}", new { id = $"990{i}", email = customer.email, created_at = "2023-01-01 00:00:00" });
        }

        var first = one.Services.GetRequiredService<DeltaSyncJob>().RunAsync(CancellationToken.None);
        var store = one.Services.GetRequiredService<SyncStore>();
        await Eventually.ReturnsAsync(() => store.RecentRunsAsync(1, CancellationToken.None).GetAwaiter().GetResult().Any(r => r.Outcome == "running") ? "holding the lease" : null);
        await two.Services.GetRequiredService<DeltaSyncJob>().RunAsync(CancellationToken.None);
        await first;

        var runs = await one.Services.GetRequiredService<SyncStore>().RecentRunsAsync(10, CancellationToken.None);
        Assert.Equal(["completed", "skipped"], runs.Select(r => r.Outcome).Order());
        Assert.Equal(1, Count(_stubs.Sfcc, $"{Data}/customer_lists/{ListId}/customer_search"));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1, Count(_stubs.Omneo, $"/api/v3/profiles/990{i}", "PUT")));
        using var connection = one.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Single(connection.GetRecurringJobs(), j => j.Id == DeltaSyncJob.RecurringJobId);
    }

    [Fact]
    public async Task Backfill_TwoInstancesOnOnePostgres_LinkEveryCustomerOnce()
    {
        using var sfcc = new SandboxSfcc(TimeProvider.System);
        using var omneo = new SandboxOmneo(TimeProvider.System);
        var customers = Enumerable.Range(1, 30).Select(i => sfcc.AddCustomer($"pgb{i}@example.com", "pw", $"P{i}", "Pg")).ToList();
        var database = await cluster.CreateDatabaseAsync();
        using var one = new SandboxBridge(sfcc, omneo, postgres: database, overrides: new Dictionary<string, string?> { ["Sync:PageSize"] = "3" });
        using var two = new SandboxBridge(sfcc, omneo, postgres: database, overrides: new Dictionary<string, string?> { ["Sync:PageSize"] = "3" });

        Assert.Equal(HttpStatusCode.Accepted, (await one.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        var backfill = await two.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");

        Assert.Equal(30, backfill.GetProperty("done").GetInt64());
        var identities = omneo.All().SelectMany(p => p.Identities.Select(i => i.Identifier)).ToList();
        Assert.Equal(customers.Select(c => c.CustomerNo).Order(), identities.Order());
    }

    [Fact]
    public async Task Backfill_TwoInstancesOnOnePostgres_BothApplyPagesOfOneBackfill()
    {
        using var sfcc = new SandboxSfcc(TimeProvider.System);
        using var omneo = new SandboxOmneo(TimeProvider.System);
        var customers = Enumerable.Range(1, 40).Select(i => sfcc.AddCustomer($"pgs{i}@example.com", "pw", $"S{i}", "Scale")).ToList();
        var database = await cluster.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Sync:PageSize"] = "2", ["Sync:Parallelism"] = "2" };
        using var one = new SandboxBridge(sfcc, omneo, postgres: database, overrides: settings);
        using var two = new SandboxBridge(sfcc, omneo, postgres: database, overrides: settings);

        // Each page takes seconds: an idle Hangfire worker polls PostgreSQL every 15 s, so both instances' workers
        // are looking for work while the backfill lasts.
        omneo.Latency = TimeSpan.FromMilliseconds(500);
        Assert.Equal(HttpStatusCode.Accepted, (await one.Admin.PostAsync("/admin/sync/backfill", null)).StatusCode);
        var backfill = await two.BackfillReachesAsync(b => b.GetProperty("status").GetString() == "completed");

        Assert.Equal(40, backfill.GetProperty("done").GetInt64());
        Assert.Equal(customers.Count, omneo.All().Count);
        await using var connection = await one.Bridge.Services.GetRequiredService<BridgeDatabase>().OpenAsync(CancellationToken.None);
        var appliedBy = (await connection.QueryAsync<(string By, long Pages)>("SELECT done_by, COUNT(*) FROM backfill_pages GROUP BY done_by")).ToList();
        Assert.Equal(2, appliedBy.Count);
        Assert.Contains(appliedBy, a => a.By == one.Bridge.Services.GetRequiredService<SyncLeases>().Instance);
        Assert.Contains(appliedBy, a => a.By == two.Bridge.Services.GetRequiredService<SyncLeases>().Instance);
        Assert.Equal(21, appliedBy.Sum(a => a.Pages));
    }

    public void Dispose() => _stubs.Dispose();
}
