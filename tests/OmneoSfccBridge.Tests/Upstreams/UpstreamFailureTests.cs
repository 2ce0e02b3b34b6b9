using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Upstreams;

public sealed class UpstreamFailureTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    /// <summary>A guest login whose SFCC check passes, so the Omneo token call is what fails.</summary>
    private async Task<HttpResponseMessage> GuestLoginAsync()
    {
        var guestId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Guest(guestId, Now);
        Stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));
        return await Client.SendAsync(Http.Login("Bearer " + token));
    }

    private void OmneoTokenAnswers(IResponseBuilder response) =>
        Stubs.Omneo.Given(Request.Create().WithPath("/id/api/v1/auth/token").UsingPost()).RespondWith(response);

    [Fact]
    public async Task Login_OmneoAnswers500_Returns502WithoutTheUpstreamBody()
    {
        OmneoTokenAnswers(Json(500, new { message = "SQLSTATE secret internals" }));

        var response = await GuestLoginAsync();

        await response.AssertProblemAsync(502);
        Assert.DoesNotContain("SQLSTATE", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, Count(Stubs.Omneo, "/id/api/v1/auth/token"));
    }

    [Theory]
    [InlineData(253402300800L)]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    public async Task Login_OmneoTokenExpOutsideADate_Returns502NotA500(long exp)
    {
        OmneoTokenAnswers(Json(200, new { data = new { token = "omneo-token", exp } }));

        var response = await GuestLoginAsync();

        await response.AssertProblemAsync(502);
    }

    [Fact]
    public async Task Login_OmneoAnswersGarbage_Returns502()
    {
        OmneoTokenAnswers(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("<html>not json"));

        await (await GuestLoginAsync()).AssertProblemAsync(502);
    }

    [Fact]
    public async Task Login_OmneoAnswersJsonWithoutToken_Returns502()
    {
        OmneoTokenAnswers(Json(200, new { data = new { } }));

        await (await GuestLoginAsync()).AssertProblemAsync(502);
    }

    [Fact]
    public async Task Login_OmneoThrottles_Returns503WithItsRetryAfter()
    {
        OmneoTokenAnswers(Json(429, new { message = "Too Many Attempts." }).WithHeader("Retry-After", "7"));

        var response = await GuestLoginAsync();

        await response.AssertProblemAsync(503);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Login_OmneoUnavailable_Returns503WithRetryAfter()
    {
        OmneoTokenAnswers(Json(503, new { message = "Maintenance" }));

        var response = await GuestLoginAsync();

        await response.AssertProblemAsync(503);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Login_SfccTooSlow_Returns504()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.Sfcc.Given(Request.Create().WithPath($"{Shop}/customers/{customerId}").UsingGet())
            .RespondWith(Json(200, Customer(customerId, "00000401", "slow@example.com")).WithDelay(TimeSpan.FromSeconds(10)));

        var response = await Client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(504);
    }

    [Fact]
    public async Task Login_SfccUnreachable_Returns503()
    {
        using var stubs = new UpstreamStubs();
        var closedPort = new Uri(stubs.Sfcc.Urls[0]);
        stubs.Dispose();
        using var bridge = new BridgeFactory(Stubs, overrides: new Dictionary<string, string?> { ["Sfcc:InstanceUrl"] = closedPort.ToString() });

        var response = await bridge.CreateClient().SendAsync(Http.Login(Http.Basic("ann@example.com", "pw")));

        await response.AssertProblemAsync(503);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Login_SfccCredentialsTimeout_IsNeverRetried()
    {
        Stubs.Sfcc.Given(Request.Create().WithPath(Shop + "/customers/auth").UsingPost())
            .RespondWith(Json(503, new { }).WithHeader("Retry-After", "3"));

        var response = await Client.SendAsync(Http.Login(Http.Basic("ann@example.com", "pw")));

        await response.AssertProblemAsync(503);
        Assert.Equal(1, Count(Stubs.Sfcc, Shop + "/customers/auth"));
    }
}
