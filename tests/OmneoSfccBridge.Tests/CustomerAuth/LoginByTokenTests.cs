using System.Net;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

public sealed class LoginByTokenTests : IClassFixture<BridgeFixture>
{
    private readonly BridgeFixture _fixture;
    private readonly HttpClient _client;

    public LoginByTokenTests(BridgeFixture fixture)
    {
        _fixture = fixture;
        fixture.Stubs.Reset();
        fixture.Stubs.SfccDeclinesOtherTokens();
        fixture.Stubs.OmneoIssuesTokens(fixture.Bridge.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds());
        _client = fixture.Bridge.CreateClient();
    }

    private UpstreamStubs Stubs => _fixture.Stubs;

    private DateTimeOffset Now => _fixture.Bridge.Time.GetUtcNow();

    public static TheoryData<string, string> AttackTokens()
    {
        var now = DateTimeOffset.UtcNow;
        var id = OcapiTokens.NewCustomerId();
        var good = OcapiTokens.Registered(id, now);
        var parts = good.Split('.');
        return new TheoryData<string, string>
        {
            { "alg none", OcapiTokens.Make(id, false, now, alg: "none") },
            { "alg none with a signature", OcapiTokens.Make(id, false, now, alg: "none") + "c2ln" },
            { "alg not allowed", OcapiTokens.Make(id, false, now, alg: "HS512") },
            { "stripped signature", parts[0] + "." + parts[1] + "." },
            { "expired", OcapiTokens.Make(id, false, now.AddHours(-1)) },
            { "issued in the future", OcapiTokens.Make(id, false, now, issuedAt: now.AddMinutes(10)) },
            { "wrong issuer", OcapiTokens.Registered(id, now, issuer: "someone-else") },
            { "no issuer", OcapiTokens.Registered(id, now, issuer: null) },
            { "sub not JSON", OcapiTokens.Make(id, false, now, sub: "not json") },
            { "sub without customer_info", OcapiTokens.Make(id, false, now, sub: "{\"_v\":\"1\"}") },
            { "oversized", OcapiTokens.Make(id, false, now, sub: "{\"customer_info\":{\"customer_id\":\"" + new string('a', 6000) + "\",\"guest\":false}}") },
            { "garbage", "not-a-jwt" },
            { "four parts", good + ".extra" },
            { "header not JSON", OcapiTokens.Encode("nope") + "." + parts[1] + "." + parts[2] },
        };
    }

    [Theory]
    [MemberData(nameof(AttackTokens))]
    public async Task Login_TokenRefusedLocally_Returns401WithoutAnyUpstreamCall(string _, string token)
    {
        var response = await _client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
        Assert.Empty(Stubs.Sfcc.LogEntries);
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task Login_ForgedSignatureSfccDeclines_Returns401WithoutOmneoToken()
    {
        var token = OcapiTokens.Registered(OcapiTokens.NewCustomerId(), Now);
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");

        var response = await _client.SendAsync(Http.Login("Bearer " + forged));

        await response.AssertProblemAsync(401);
        // Only the Shop API counts: a background profile refresh of an earlier test may still be talking to the Data API.
        Assert.Single(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path.StartsWith(Shop, StringComparison.Ordinal));
        Assert.Equal(0, Count(Stubs.Omneo, "/id/api/v1/auth/token"));
    }

    [Fact]
    public async Task Login_RegisteredTokenTwice_SecondCostsOnlyTheOmneoTokenCall()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000201", "bea@example.com"));
        Stubs.OmneoFindsIdentity("00000201", Profile("7201", "bea@example.com", identities: ("sfcc", "00000201")));

        var first = await _client.SendAsync(Http.Login("Bearer " + token));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Stubs.Sfcc.ResetLogEntries();
        Stubs.Omneo.ResetLogEntries();

        var second = await _client.SendAsync(Http.Login("Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("7201", (await second.JsonAsync()).GetProperty("profile_id").GetString());
        // The first login's background profile refresh may still be reading the Data API; the login itself asks no Shop API.
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path.StartsWith(Shop, StringComparison.Ordinal));
        Assert.Equal(["/id/api/v1/auth/token"], Stubs.Omneo.LogEntries.Select(e => e.RequestMessage.Path));
    }

    [Fact]
    public async Task Login_CachedVerdictAfterTokenExpiry_IsNotUsed()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Make(customerId, false, Now, lifetime: TimeSpan.FromMinutes(5));
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000202", "cat@example.com"));
        Stubs.OmneoFindsIdentity("00000202", Profile("7202", "cat@example.com", identities: ("sfcc", "00000202")));
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Http.Login("Bearer " + token))).StatusCode);

        _fixture.Bridge.Time.Advance(TimeSpan.FromMinutes(6));
        var response = await _client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Login_GuestToken_ReturnsAnonymousTokenAndTouchesNoProfile()
    {
        var guestId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Guest(guestId, Now);
        Stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));

        var response = await _client.SendAsync(Http.Login("Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("guest").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("profile_id").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("customer_no").ValueKind);
        Assert.Equal(["""{"id":""}"""], Bodies(Stubs.Omneo, "/id/api/v1/auth/token"));
        Assert.Single(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task Login_TokenClaimingGuestForRegisteredCustomer_Returns401()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Guest(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000203", "dan@example.com"));

        var response = await _client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task Login_TokenFromCredentialsLogin_NeedsNoSfccCallAfterwards()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccAcceptsCredentials("eve@example.com", "pw-eve", Customer(customerId, "00000204", "eve@example.com"), token);
        Stubs.OmneoFindsIdentity("00000204", Profile("7204", "eve@example.com", identities: ("sfcc", "00000204")));
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Http.Login(Http.Basic("eve@example.com", "pw-eve")))).StatusCode);
        Stubs.Sfcc.ResetLogEntries();

        var response = await _client.SendAsync(Http.Login("Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path.StartsWith(Shop, StringComparison.Ordinal));
    }
}
