using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageTests(PostgresCluster cluster) : IDisposable
{
    private readonly UpstreamStubs _stubs = new();

    [Fact]
    public async Task Login_OnPostgres_LinksOnceAndReusesTheLink()
    {
        using var bridge = new BridgeFactory(_stubs, await cluster.CreateDatabaseAsync());
        _stubs.Reset();
        var now = bridge.Time.GetUtcNow();
        var customerId = OcapiTokens.NewCustomerId();
        _stubs.SfccAcceptsCredentials("pg@example.com", "pw-pg", VerifiedCustomer(customerId, "00000601", "pg@example.com"), OcapiTokens.Registered(customerId, now));
        _stubs.OmneoFindsNoOtherIdentity();
        _stubs.OmneoEmailSearchReturns("pg@example.com", Profile("7601", "pg@example.com"));
        _stubs.OmneoAcceptsIdentities();
        _stubs.OmneoAcceptsProfileUpdates();
        _stubs.OmneoIssuesTokens(now.AddMinutes(15).ToUnixTimeSeconds());
        var client = bridge.CreateClient();

        var first = await client.SendAsync(Http.Login(Http.Basic("pg@example.com", "pw-pg")));
        var second = await client.SendAsync(Http.Login(Http.Basic("pg@example.com", "pw-pg")));

        Assert.Equal("7601", (await first.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal("7601", (await second.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(1, Count(_stubs.Omneo, "/api/v3/profiles", "GET"));
        var link = await bridge.Services.GetRequiredService<CustomerLinkStore>().FindAsync(ListId, "00000601", CancellationToken.None);
        Assert.Equal("7601", link?.ProfileId);
        Assert.Equal("email", link?.MatchSource);
    }

    [Fact]
    public async Task Login_TwoInstancesOnOnePostgres_FirstLoginsCreateOneProfile()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var one = new BridgeFactory(_stubs, database);
        using var two = new BridgeFactory(_stubs, database);
        _stubs.Reset();
        var now = one.Time.GetUtcNow();
        _stubs.OmneoFindsNoOtherIdentity();
        _stubs.OmneoEmailSearchReturns("twin@example.com");
        _stubs.Omneo.Given(Request.Create().WithPath("/api/v3/profiles").UsingPost())
            .RespondWith(Json(201, new { data = Profile("7602", "twin@example.com") }).WithDelay(TimeSpan.FromMilliseconds(100)));
        _stubs.OmneoAcceptsIdentities();
        _stubs.OmneoAcceptsProfileUpdates();
        _stubs.OmneoIssuesTokens(now.AddMinutes(15).ToUnixTimeSeconds());
        var clients = new[] { one.CreateClient(), two.CreateClient() };

        var logins = Enumerable.Range(0, 10).Select(i =>
        {
            var customerId = OcapiTokens.NewCustomerId();
            var token = OcapiTokens.Registered(customerId, now);
            _stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000602", "twin@example.com"));
            return clients[i % 2].SendAsync(Http.Login("Bearer " + token));
        }).ToList();
        var responses = await Task.WhenAll(logins);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, Count(_stubs.Omneo, "/api/v3/profiles"));
    }

    [Fact]
    public async Task Migrations_AppliedTwice_AreAppliedOnce()
    {
        var database = new BridgeDatabase(StorageProvider.Postgres, await cluster.CreateDatabaseAsync());
        await Task.WhenAll(Migrations.ApplyAsync(database, CancellationToken.None), Migrations.ApplyAsync(database, CancellationToken.None));
        await Migrations.ApplyAsync(database, CancellationToken.None);

        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM schema_migrations";
        Assert.Equal((long)Migrations.ScriptCount, Convert.ToInt64(await command.ExecuteScalarAsync()));
        await database.DisposeAsync();
    }

    public void Dispose() => _stubs.Dispose();
}
