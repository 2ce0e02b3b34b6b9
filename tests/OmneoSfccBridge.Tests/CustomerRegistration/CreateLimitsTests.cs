using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerRegistration;

/// <summary>Slow or stuck registrations cannot tie up the bridge: bounded concurrency, bounded lock waits.</summary>
public sealed class CreateLimitsTests : IDisposable
{
    private readonly UpstreamStubs _stubs = new();

    public CreateLimitsTests()
    {
        _stubs.Reset();
        _stubs.OmneoFindsNoOtherIdentity();
        _stubs.OmneoAcceptsIdentities();
    }

    [Fact]
    public async Task Create_MoreThanTheConcurrencyLimitAndItsQueue_Returns503WithRetryAfter()
    {
        using var bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?>
        {
            ["Registration:MaxConcurrent"] = "1",
            ["Storage:LockTimeoutSeconds"] = "300",
        });
        var client = bridge.CreateClient();
        var sfcc = _stubs.SfccRegistersGuests(9301);
        _stubs.OmneoEmailSearchReturns("slow@example.com");
        _stubs.OmneoCreatesProfile("8301", "slow@example.com");
        _stubs.OmneoEmailSearchReturns("queued@example.com");
        _stubs.OmneoCreatesProfile("8302", "queued@example.com");
        _stubs.OmneoEmailSearchReturns("third@example.com");
        _stubs.OmneoCreatesProfile("8303", "third@example.com");
        var stuck = await bridge.Services.GetRequiredService<CustomerLocks>().AcquireAsync($"registration:{ListId}:slow@example.com", CancellationToken.None);

        var slow = client.SendAsync(Http.Create("Bearer " + GuestToken(bridge, out var slowGuest), CreateTests.Body("slow@example.com")));
        await Eventually.ReturnsAsync(() => Count(_stubs.Sfcc, $"{Shop}/customers/{slowGuest}", "GET") > 0 ? "holds the permit" : null);
        var second = client.SendAsync(Http.Create("Bearer " + GuestToken(bridge, out _), CreateTests.Body("queued@example.com")));
        var third = client.SendAsync(Http.Create("Bearer " + GuestToken(bridge, out _), CreateTests.Body("third@example.com")));
        var refused = await await Task.WhenAny(second, third);

        await refused.AssertProblemAsync(503);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal("concurrent_registrations", (await refused.JsonAsync()).GetProperty("limit").GetString());
        await stuck.DisposeAsync();
        Assert.Equal(HttpStatusCode.Created, (await slow).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await (refused == await second ? third : second)).StatusCode);
        Assert.Equal(2, sfcc.Registered);
    }

    [Fact]
    public async Task Create_CustomerLockHeldLongerThanTheTimeoutOnSqlite_Returns503WithRetryAfterAndNeverReachesSfcc()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var bridge = new BridgeFactory(_stubs)
        {
            ExtraServices = services => services.AddSingleton(sp => new CustomerLocks(
                sp.GetRequiredService<BridgeDatabase>(), sp.GetRequiredService<IOptions<StorageOptions>>(), clock)),
        };
        var client = bridge.CreateClient();
        var sfcc = _stubs.SfccRegistersGuests(9311);
        _stubs.OmneoEmailSearchReturns("busy@example.com");
        _stubs.OmneoCreatesProfile("8311", "busy@example.com");
        var held = await bridge.Services.GetRequiredService<CustomerLocks>().AcquireAsync($"registration:{ListId}:busy@example.com", CancellationToken.None);

        var pending = client.SendAsync(Http.Create("Bearer " + GuestToken(bridge, out _), CreateTests.Body("busy@example.com")));
        var response = await Eventually.ReturnsAsync(() =>
        {
            // The bridge's own clock: moving it past the default 15 s lets the waiting request give up.
            clock.Advance(TimeSpan.FromSeconds(16));
            return pending.IsCompleted ? pending.Result : null;
        });

        await response.AssertProblemAsync(503);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.Equal("customer_lock", (await response.JsonAsync()).GetProperty("limit").GetString());
        Assert.Equal(0, sfcc.Registered);
        Assert.DoesNotContain(bridge.Logs.GetSnapshot(), line => line.Message.Contains("busy@example.com", StringComparison.OrdinalIgnoreCase));
        await held.DisposeAsync();
        var retried = await client.SendAsync(Http.Create("Bearer " + GuestToken(bridge, out _), CreateTests.Body("busy@example.com")));
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    public void Dispose() => _stubs.Dispose();

    internal static string GuestToken(BridgeFactory bridge, out string guestId)
    {
        guestId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Guest(guestId, bridge.Time.GetUtcNow());
        bridge.Stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));
        return token;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CreateLimitsOnPostgresTests(PostgresCluster cluster) : IDisposable
{
    private readonly UpstreamStubs _stubs = new();

    [Fact]
    public async Task Create_AdvisoryLockHeldByAnotherInstanceBeyondTheTimeout_Returns503AndLeavesNoConnectionWaiting()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var bridge = new BridgeFactory(_stubs, database, new Dictionary<string, string?> { ["Storage:LockTimeoutSeconds"] = "1" });
        var client = bridge.CreateClient();
        _stubs.Reset();
        var sfcc = _stubs.SfccRegistersGuests(9321);
        _stubs.OmneoFindsNoOtherIdentity();
        _stubs.OmneoEmailSearchReturns("pg.busy@example.com");
        _stubs.OmneoCreatesProfile("8321", "pg.busy@example.com");
        _stubs.OmneoAcceptsIdentities();
        await using var otherInstance = new NpgsqlConnection(database);
        await otherInstance.OpenAsync();
        var key = $"registration:{ListId}:pg.busy@example.com";
        await otherInstance.ExecuteAsync("SELECT pg_advisory_lock(hashtextextended(@key, 0))", new { key });

        var response = await client.SendAsync(Http.Create("Bearer " + CreateLimitsTests.GuestToken(bridge, out _), CreateTests.Body("pg.busy@example.com")));

        await response.AssertProblemAsync(503);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.Equal(0, sfcc.Registered);
        Assert.Equal(0, await otherInstance.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"));
        await otherInstance.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", new { key });
        var retried = await client.SendAsync(Http.Create("Bearer " + CreateLimitsTests.GuestToken(bridge, out _), CreateTests.Body("pg.busy@example.com")));
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    public void Dispose() => _stubs.Dispose();
}
