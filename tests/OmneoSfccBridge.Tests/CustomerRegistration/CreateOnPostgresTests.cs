using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerRegistration;

[Collection(PostgresCollection.Name)]
public sealed class CreateOnPostgresTests(PostgresCluster cluster) : IDisposable
{
    private readonly UpstreamStubs _stubs = new();

    [Fact]
    public async Task Create_TwentyConcurrentOnTwoInstancesSharingPostgres_MakeOneCustomerAndOneProfile()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var one = new BridgeFactory(_stubs, database);
        using var two = new BridgeFactory(_stubs, database);
        _stubs.Reset();
        var now = one.Time.GetUtcNow();
        var sfcc = _stubs.SfccRegistersGuests(9201);
        _stubs.OmneoFindsNoOtherIdentity();
        _stubs.OmneoEmailSearchReturns("pg.race@example.com");
        _stubs.Omneo.Given(Request.Create().WithPath("/api/v3/profiles").UsingPost())
            .RespondWith(Json(201, new { data = Profile("8201", "pg.race@example.com") }).WithDelay(TimeSpan.FromMilliseconds(50)));
        _stubs.OmneoAcceptsIdentities();
        var clients = new[] { one.CreateClient(), two.CreateClient() };

        var creates = Enumerable.Range(0, 20).Select(i =>
        {
            var guestId = OcapiTokens.NewCustomerId();
            var token = OcapiTokens.Guest(guestId, now);
            _stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));
            return clients[i % 2].SendAsync(Http.Create("Bearer " + token, CreateTests.Body("pg.race@example.com", login: i % 3 == 0 ? "PG.Race@example.com" : null)));
        }).ToList();
        var responses = await Task.WhenAll(creates);

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { 201, 409 }));
        Assert.Single(statuses, s => s == 201);
        Assert.Equal(1, sfcc.Registered);
        Assert.Equal(1, Count(_stubs.Omneo, "/api/v3/profiles"));
        var conversion = await two.Services.GetRequiredService<ConversionLog>().FindAsync(ListId, "00009201", CancellationToken.None);
        Assert.Equal("8201", conversion?.ProfileId);
    }

    [Fact]
    public async Task Create_SameKeyOnTheOtherInstance_ReplaysTheFirst201()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var one = new BridgeFactory(_stubs, database);
        using var two = new BridgeFactory(_stubs, database);
        _stubs.Reset();
        var now = one.Time.GetUtcNow();
        var sfcc = _stubs.SfccRegistersGuests(9202);
        _stubs.OmneoFindsNoOtherIdentity();
        _stubs.OmneoEmailSearchReturns("pg.replay@example.com", Profile("8202", "pg.replay@example.com"));
        _stubs.OmneoAcceptsIdentities();
        var guestId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Guest(guestId, now);
        _stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));

        var first = await one.CreateClient().SendAsync(Http.Create("Bearer " + token, CreateTests.Body("pg.replay@example.com"), "pg-key"));
        var second = await two.CreateClient().SendAsync(Http.Create("Bearer " + token, CreateTests.Body("pg.replay@example.com"), "pg-key"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, sfcc.Registered);
        Assert.Equal(1, Count(_stubs.Sfcc, Shop + "/customers"));
    }

    public void Dispose() => _stubs.Dispose();
}
