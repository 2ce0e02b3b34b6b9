using System.Net;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.CustomerAuth;

/// <summary>
/// The tenant's JWKS over time, each test on a bridge of its own (the key cache and the refetch limit are its state):
/// key rotation, a flood of made-up kids, the JWKS endpoint down.
/// </summary>
public sealed class SlasJwksTests : IDisposable
{
    private readonly UpstreamStubs _stubs = new();
    private readonly BridgeFactory _bridge;
    private readonly HttpClient _client;
    private readonly SlasKey _old = new();
    private readonly SlasKey _new = new();

    public SlasJwksTests()
    {
        _stubs.Reset();
        _bridge = new BridgeFactory(_stubs, overrides: SlasTokens.Settings(_stubs));
        _stubs.OmneoIssuesTokens(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
        _client = _bridge.CreateClient();
    }

    private DateTimeOffset Now => _bridge.Time.GetUtcNow();

    private int JwksCalls => SlasTokens.JwksCalls(_stubs.Sfcc);

    private Task<HttpResponseMessage> LoginAsync(string token) => _client.SendAsync(Http.Login("Bearer " + token));

    [Fact]
    public async Task Login_JwksRotatesMidRun_NewKidIsFetchedOnceAndTheRetiredKidIsRefused()
    {
        SlasTokens.ServeJwks(_stubs.Sfcc, _old);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_old, Now))).StatusCode);
        Assert.Equal(1, JwksCalls);

        // SLAS retires the old key and signs with a new one.
        SlasTokens.ServeJwks(_stubs.Sfcc, _new);
        _bridge.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_new, Now))).StatusCode);
        Assert.Equal(2, JwksCalls);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_new, Now))).StatusCode);
        Assert.Equal(2, JwksCalls);

        var retired = await LoginAsync(SlasTokens.Guest(_old, Now));

        await retired.AssertProblemAsync(401);
        Assert.Equal(2, JwksCalls);
    }

    [Fact]
    public async Task Login_FloodOfUnknownKids_FetchesTheJwksAtMostOnceAMinute()
    {
        SlasTokens.ServeJwks(_stubs.Sfcc, _old);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_old, Now))).StatusCode);
        _bridge.Time.Advance(TimeSpan.FromSeconds(61));

        async Task FloodAsync(int count)
        {
            var forgeries = Enumerable.Range(0, count).Select(_ =>
            {
                using var stranger = new SlasKey();
                return SlasTokens.Guest(stranger, Now);
            }).ToList();
            var answers = await Task.WhenAll(forgeries.Select(LoginAsync));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        }

        await FloodAsync(40);
        Assert.Equal(2, JwksCalls);

        _bridge.Time.Advance(TimeSpan.FromSeconds(50));
        await FloodAsync(20);
        Assert.Equal(2, JwksCalls);

        _bridge.Time.Advance(TimeSpan.FromSeconds(11));
        await FloodAsync(20);
        Assert.Equal(3, JwksCalls);

        // The genuine key kept working throughout.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_old, Now))).StatusCode);
        Assert.Equal(3, JwksCalls);
    }

    [Fact]
    public async Task Login_JwksDownWithTheKeyCached_StillAcceptsTokens()
    {
        SlasTokens.ServeJwks(_stubs.Sfcc, _old);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_old, Now))).StatusCode);

        SlasTokens.JwksDown(_stubs.Sfcc);
        _bridge.Time.Advance(TimeSpan.FromMinutes(61)); // the cached set is due for a refresh, which fails

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_old, Now))).StatusCode);
        Assert.True(JwksCalls > 1);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_old, Now))).StatusCode);
    }

    [Fact]
    public async Task Login_JwksDownAndNoKeyCached_Returns503WithRetryAfter()
    {
        SlasTokens.JwksDown(_stubs.Sfcc);

        var response = await LoginAsync(SlasTokens.Guest(_old, Now));

        await response.AssertProblemAsync(503);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Empty(_stubs.LoginCalls());
        var fetches = JwksCalls;

        // Within the minute the bridge does not ask again; afterwards it does, and recovers.
        Assert.Equal(503, (int)(await LoginAsync(SlasTokens.Guest(_old, Now))).StatusCode);
        Assert.Equal(fetches, JwksCalls);
        _stubs.Reset();
        _stubs.OmneoIssuesTokens(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
        SlasTokens.ServeJwks(_stubs.Sfcc, _old);
        _bridge.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.Guest(_old, Now))).StatusCode);
    }

    [Fact]
    public async Task Login_JwksWithOnlyUnusableKeys_Returns503AndNeverTrustsThem()
    {
        // A symmetric key and a private EC key under the token's kid: neither may ever verify a token.
        var jwk = _old.Jwk();
        var parameters = _old.Ecdsa.ExportParameters(true);
        jwk["d"] = SlasTokens.B64(parameters.D!);
        _stubs.Sfcc.Given(WireMock.RequestBuilders.Request.Create().WithPath(SlasTokens.JwksPath).UsingGet())
            .RespondWith(UpstreamStubs.Json(200, new { keys = new object[] { new { kty = "oct", kid = _old.Kid, k = "c2VjcmV0" }, jwk } }));

        var response = await LoginAsync(SlasTokens.Guest(_old, Now));

        await response.AssertProblemAsync(503);
        Assert.Empty(_stubs.LoginCalls());
    }

    public void Dispose()
    {
        _client.Dispose();
        _bridge.Dispose();
        _stubs.Dispose();
        _old.Dispose();
        _new.Dispose();
    }
}
