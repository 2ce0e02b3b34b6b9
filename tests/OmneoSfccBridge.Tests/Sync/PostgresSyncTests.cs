using System.Net;
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

    public void Dispose() => _stubs.Dispose();
}
