using System.Net;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Upstreams;

/// <summary>With OAuth instead of a pre-generated token, the admin token is fetched once, cached, and renewed once on a 401.</summary>
public sealed class OmneoAdminTokenTests : IDisposable
{
    private readonly UpstreamStubs _stubs = new();
    private readonly BridgeFactory _bridge;

    public OmneoAdminTokenTests()
    {
        _stubs.Reset();
        _bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?>
        {
            ["Omneo:ApiToken"] = null,
            ["Omneo:ClientId"] = "omneo-client",
            ["Omneo:ClientSecret"] = "omneo-client-secret",
        });
        _stubs.Omneo.Given(Request.Create().WithPath("/api/v3/auth/token").UsingPost()
                .WithBody(b => b is not null && b.Contains("grant_type=client_credentials") && b.Contains("client_secret=omneo-client-secret")))
            .RespondWith(Json(200, new { access_token = OmneoAdminToken, token_type = "Bearer", expires_in = 3600 }));
        _stubs.OmneoIssuesTokens(DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds());
    }

    private async Task<HttpResponseMessage> GuestLoginAsync()
    {
        var guestId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Guest(guestId, _bridge.Time.GetUtcNow());
        _stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));
        return await _bridge.CreateClient().SendAsync(Http.Login("Bearer " + token));
    }

    [Fact]
    public async Task Login_ManyLogins_FetchTheAdminTokenOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GuestLoginAsync()).StatusCode);
        }

        Assert.Equal(1, Count(_stubs.Omneo, "/api/v3/auth/token"));
        Assert.Equal(5, Count(_stubs.Omneo, "/id/api/v1/auth/token"));
    }

    [Fact]
    public async Task Login_AdminTokenRevoked_IsRenewedOnceAndTheLoginSucceeds()
    {
        Assert.Equal(HttpStatusCode.OK, (await GuestLoginAsync()).StatusCode);
        _bridge.Time.Advance(TimeSpan.FromMinutes(1));
        _stubs.Omneo.Given(Request.Create().WithPath("/id/api/v1/auth/token").UsingPost())
            .InScenario("revoked").WillSetStateTo("renewed").AtPriority(1)
            .RespondWith(Json(401, new { message = "Unauthenticated." }));

        var response = await GuestLoginAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Count(_stubs.Omneo, "/api/v3/auth/token"));
    }

    [Fact]
    public async Task Login_AdminTokenNearExpiry_IsFetchedAgain()
    {
        Assert.Equal(HttpStatusCode.OK, (await GuestLoginAsync()).StatusCode);
        _bridge.Time.Advance(TimeSpan.FromMinutes(59));

        Assert.Equal(HttpStatusCode.OK, (await GuestLoginAsync()).StatusCode);

        Assert.Equal(2, Count(_stubs.Omneo, "/api/v3/auth/token"));
    }

    public void Dispose()
    {
        _bridge.Dispose();
        _stubs.Dispose();
    }
}
