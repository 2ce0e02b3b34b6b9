using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.CustomerAuth;

public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task Login_MoreThanThePermitsPerMinute_Returns429WithRetryAfter()
    {
        using var stubs = new UpstreamStubs();
        stubs.Reset();
        stubs.SfccRefusesOtherCredentials();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?> { ["CustomerAuth:LoginPermitsPerMinute"] = "2" });
        var client = bridge.CreateClient();

        await (await client.SendAsync(Http.Login(Http.Basic("a@example.com", "x")))).AssertProblemAsync(401);
        await (await client.SendAsync(Http.Login(Http.Basic("a@example.com", "y")))).AssertProblemAsync(401);
        var third = await client.SendAsync(Http.Login(Http.Basic("a@example.com", "z")));

        await third.AssertProblemAsync(429);
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
        Assert.Equal(2, UpstreamStubs.Count(stubs.Sfcc, UpstreamStubs.Shop + "/customers/auth"));
    }
}
