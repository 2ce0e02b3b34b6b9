using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task Login_EleventhAttemptForOneLoginFromManyAddresses_Returns429AndSfccSawOnlyTen()
    {
        using var stubs = new UpstreamStubs();
        stubs.Reset();
        stubs.SfccRefusesOtherCredentials();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?>
        {
            ["CustomerAuth:LoginAttemptsPerAccountPerMinute"] = "10",
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5",
        })
        {
            ExtraServices = services => services.AddSingleton<IStartupFilter>(new PeerAddress("10.0.0.5")),
        };
        var client = bridge.CreateClient();

        for (var i = 1; i <= 10; i++)
        {
            await (await client.SendAsync(FromAddress($"203.0.113.{i}", Http.Basic("victim@example.com", $"guess-{i}")))).AssertProblemAsync(401);
        }

        var eleventh = await client.SendAsync(FromAddress("198.51.100.11", Http.Basic(" Victim@Example.COM", "guess-11")));
        var otherAccount = await client.SendAsync(FromAddress("198.51.100.12", Http.Basic("someone.else@example.com", "guess")));

        await eleventh.AssertProblemAsync(429);
        Assert.NotNull(eleventh.Headers.RetryAfter?.Delta);
        Assert.Equal("account", (await eleventh.JsonAsync()).GetProperty("limit").GetString());
        await otherAccount.AssertProblemAsync(401);
        var sfccLogins = stubs.Sfcc.LogEntries
            .Where(e => e.RequestMessage.Path == UpstreamStubs.Shop + "/customers/auth")
            .Select(e => Encoding.UTF8.GetString(Convert.FromBase64String(e.RequestMessage.Headers!["Authorization"][0]["Basic ".Length..])))
            .ToList();
        Assert.Equal(10, sfccLogins.Count(credentials => credentials.Contains("victim@example.com", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(sfccLogins, credentials => credentials.StartsWith("someone.else@example.com:", StringComparison.Ordinal));
        Assert.DoesNotContain(bridge.Logs.GetSnapshot(), line => line.Message.Contains("victim", StringComparison.OrdinalIgnoreCase) || line.Message.Contains("guess-", StringComparison.Ordinal));
    }

    private static HttpRequestMessage FromAddress(string address, string authorization)
    {
        var request = Http.Login(authorization);
        request.Headers.Add("X-Forwarded-For", address);
        return request;
    }
}
