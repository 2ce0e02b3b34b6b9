using System.Net;
using System.Text.Json;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>
/// deploy/compose.yaml's topology as processes: two bridges started as an operator starts them, on one PostgreSQL.
/// PostgresSyncTests covers two in-process hosts; this adds real processes, logins on both, and a SIGKILL.
/// </summary>
[Collection(PostgresProcessesCollection.Name)]
public sealed class TwoProcessDeploymentTests(PostgresCluster cluster) : IDisposable
{
    private readonly SandboxSfcc _sfcc = new(TimeProvider.System);
    private readonly SandboxOmneo _omneo = new(TimeProvider.System);

    [Fact]
    public async Task TwoProcessesOnOnePostgres_LoginsOnBothAndOneKilledMidBackfill_TheOtherFinishesWithEveryCustomerOnce()
    {
        var customers = Enumerable.Range(1, 300).Select(i => _sfcc.AddCustomer($"two{i}@example.com", "pw", $"Two{i}", "Procs")).ToList();
        var database = await cluster.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>(SandboxLandscape.UpstreamSettings(_sfcc, _omneo))
        {
            ["Admin:ApiKey"] = BridgeFactory.AdminKey,
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Bridge"] = database,
            ["Sync:DeltaIntervalMinutes"] = "0",
            ["Sync:PageSize"] = "25",
            ["Sync:Parallelism"] = "4",
            ["Sync:LeaseSeconds"] = "10",
            ["Logging:LogLevel:Default"] = "Warning",

            // The test polls the status far more often than an operator: keep the per-address limits out of it.
            ["Admin:PermitsPerMinute"] = "0",
            ["CustomerAuth:LoginPermitsPerMinute"] = "0",
        };
        await using var one = new BridgeProcess(settings);
        await using var two = new BridgeProcess(settings);
        await Task.WhenAll(one.StartAsync(), two.StartAsync());
        using var adminOne = one.AdminClient();
        using var adminTwo = two.AdminClient();

        // Logins spread across both instances: each first login links one profile, whichever instance serves it.
        var loggedIn = customers.Take(10).ToList();
        var profiles = await Task.WhenAll(loggedIn.Select((c, i) => LoginAsync(i % 2 == 0 ? one : two, c.Email)));
        Assert.Equal(loggedIn.Count, profiles.Distinct().Count());
        Assert.Equal(profiles, await Task.WhenAll(loggedIn.Select((c, i) => LoginAsync(i % 2 == 0 ? two : one, c.Email))));

        Assert.Equal(HttpStatusCode.Accepted, (await adminOne.PostAsync(new Uri("/admin/sync/backfill", UriKind.Relative), null)).StatusCode);
        await BridgeProcessAdmin.BackfillReachesAsync(adminTwo, b => b.GetProperty("done").GetInt64() >= 75, timeoutSeconds: 180);
        await Eventually.ReturnsAsync(() => _omneo.All().Count % 25 != 0 ? "mid-page" : null);
        await one.KillAsync();
        var atKill = _omneo.All().Count;
        JsonElement backfill;
        try
        {
            backfill = await BridgeProcessAdmin.BackfillReachesAsync(adminTwo, b => b.GetProperty("status").GetString() == "completed", timeoutSeconds: 180);
        }
        catch (TimeoutException)
        {
            var status = await (await adminTwo.GetAsync(new Uri("/admin/sync/status", UriKind.Relative))).Content.ReadAsStringAsync();
            throw new InvalidOperationException("The surviving instance did not finish the backfill. Its status: " + status + "\nIts last output:\n" + two.Output);
        }

        Assert.InRange(atKill, 75, customers.Count - 1);
        var identities = _omneo.All().SelectMany(p => p.Identities.Where(i => i.Handle == "sfcc").Select(i => i.Identifier)).ToList();
        Assert.Equal(customers.Select(c => c.CustomerNo).Order(), identities.Order());
        Assert.Equal(customers.Count, _omneo.All().Count);
        Assert.Equal(customers.Count, backfill.GetProperty("done").GetInt64());
        Assert.Equal(profiles, await Task.WhenAll(loggedIn.Select(c => LoginAsync(two, c.Email))));
    }

    private static async Task<string> LoginAsync(BridgeProcess bridge, string email)
    {
        using var client = new HttpClient { BaseAddress = bridge.Url };
        var response = await client.SendAsync(Http.Login(Http.Basic(email, "pw")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("profile_id").GetString()!;
    }



    public void Dispose()
    {
        _sfcc.Dispose();
        _omneo.Dispose();
    }
}
