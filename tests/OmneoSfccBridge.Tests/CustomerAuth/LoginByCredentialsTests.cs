using System.Net;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

public sealed class LoginByCredentialsTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    [Fact]
    public async Task Login_ValidCredentials_ReturnsOmneoTokenForTheLinkedProfile()
    {
        var customerId = OcapiTokens.NewCustomerId();
        Stubs.SfccAcceptsCredentials("ann@example.com", "s3cret:with:colons", Customer(customerId, "00000101", "ann@example.com"), OcapiTokens.Registered(customerId, Now));
        Stubs.OmneoFindsIdentity("00000101", Profile("7001", "ann@example.com", identities: ("sfcc", "00000101")));
        var exp = Now.AddMinutes(15).ToUnixTimeSeconds();
        Stubs.OmneoIssuesTokens(exp);

        var response = await Client.SendAsync(Http.Login(Http.Basic("ann@example.com", "s3cret:with:colons")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("omneo-token-for-7001", body.GetProperty("token").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(exp).UtcDateTime, body.GetProperty("expiry").GetDateTime());
        Assert.EndsWith("Z", body.GetProperty("expiry").GetString());
        Assert.Equal("7001", body.GetProperty("profile_id").GetString());
        Assert.Equal("00000101", body.GetProperty("customer_no").GetString());
        Assert.False(body.GetProperty("guest").GetBoolean());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("ann@example.com", "wrong-password")]
    [InlineData("nobody@example.com", "whatever")]
    public async Task Login_RefusedCredentials_Returns401IdenticalForKnownAndUnknownLogins(string login, string password)
    {
        Stubs.SfccAcceptsCredentials("ann@example.com", "right-password", Customer(OcapiTokens.NewCustomerId(), "00000102", "ann@example.com"), OcapiTokens.Registered("x", Now));
        Stubs.SfccRefusesOtherCredentials();
        Stubs.OmneoIssuesTokens(Now.AddMinutes(15).ToUnixTimeSeconds());

        var response = await Client.SendAsync(Http.Login(Http.Basic(login, password)));

        await response.AssertProblemAsync(401);
        var body = await response.JsonAsync();
        Assert.Equal("Authentication failed", body.GetProperty("title").GetString());
        Assert.Equal("The credentials or the token were not accepted.", body.GetProperty("detail").GetString());
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, Count(Stubs.Omneo, "/id/api/v1/auth/token"));
    }

    [Fact]
    public async Task Login_CredentialsWhenSfccFails_IsSentOnceAndAnswers502()
    {
        Stubs.Sfcc.Given(WireMock.RequestBuilders.Request.Create().WithPath(Shop + "/customers/auth").UsingPost())
            .RespondWith(Json(500, new { fault = new { type = "InternalServerError", message = "boom: secret stack" } }));

        var response = await Client.SendAsync(Http.Login(Http.Basic("ann@example.com", "pw")));

        await response.AssertProblemAsync(502);
        Assert.DoesNotContain("boom", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, Count(Stubs.Sfcc, Shop + "/customers/auth"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic Ym9i")]
    [InlineData("Basic OnBhc3N3b3Jk")]
    [InlineData("Basic Ym9iOg==")]
    [InlineData("Digest username=bob")]
    [InlineData("Bearer")]
    [InlineData("Bearer two tokens")]
    public async Task Login_MalformedAuthorizationHeader_Returns400WithoutCallingUpstreams(string? header)
    {
        var response = await Client.SendAsync(Http.Login(header));

        await response.AssertProblemAsync(400);
        Assert.Empty(Stubs.LoginCalls());
    }
}
