using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Limits;

/// <summary>The per-address limit keys on the real client: through known proxies only, never on what a client claims.</summary>
public sealed class ClientAddressTests : IDisposable
{
    private const string LoadBalancer = "10.0.0.5";

    private readonly UpstreamStubs _stubs = new();

    public ClientAddressTests()
    {
        _stubs.Reset();
        _stubs.SfccRefusesOtherCredentials();
    }

    [Fact]
    public async Task Login_VaryingXForwardedForWithNoKnownProxy_IsStillLimitedOnTheConnectionAddress()
    {
        using var bridge = Bridge(new() { ["CustomerAuth:LoginPermitsPerMinute"] = "2" });
        var client = bridge.CreateClient();

        await (await client.SendAsync(Login("198.51.100.1", "a@example.com"))).AssertProblemAsync(401);
        await (await client.SendAsync(Login("198.51.100.2", "b@example.com"))).AssertProblemAsync(401);
        var third = await client.SendAsync(Login("198.51.100.3", "c@example.com"));

        await third.AssertProblemAsync(429);
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
        Assert.Equal("client_address", (await third.JsonAsync()).GetProperty("limit").GetString());
        Assert.Equal(2, UpstreamStubs.Count(_stubs.Sfcc, UpstreamStubs.Shop + "/customers/auth"));
    }

    [Fact]
    public async Task Login_XForwardedForFromAPeerThatIsNotAKnownProxy_IsIgnored()
    {
        using var bridge = Bridge(new()
        {
            ["CustomerAuth:LoginPermitsPerMinute"] = "2",
            ["ForwardedHeaders:KnownNetworks:0"] = "192.168.0.0/16",
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.6",
        });
        var client = bridge.CreateClient();

        await (await client.SendAsync(Login("198.51.100.1", "a@example.com"))).AssertProblemAsync(401);
        await (await client.SendAsync(Login("198.51.100.2", "b@example.com"))).AssertProblemAsync(401);

        await (await client.SendAsync(Login("198.51.100.3", "c@example.com"))).AssertProblemAsync(429);
    }

    [Fact]
    public async Task Login_TwoForwardedAddressesBehindAKnownProxy_GetSeparateBudgets()
    {
        using var bridge = Bridge(new()
        {
            ["CustomerAuth:LoginPermitsPerMinute"] = "1",
            ["ForwardedHeaders:KnownProxies:0"] = LoadBalancer,
        });
        var client = bridge.CreateClient();

        await (await client.SendAsync(Login("203.0.113.1", "a@example.com"))).AssertProblemAsync(401);
        await (await client.SendAsync(Login("203.0.113.2", "b@example.com"))).AssertProblemAsync(401);
        var again = await client.SendAsync(Login("203.0.113.1", "c@example.com"));

        await again.AssertProblemAsync(429);
        Assert.Equal(2, UpstreamStubs.Count(_stubs.Sfcc, UpstreamStubs.Shop + "/customers/auth"));
    }

    [Fact]
    public async Task Login_ClientPrependsAddressesBehindAKnownNetwork_IsLimitedOnTheAddressTheProxySaw()
    {
        using var bridge = Bridge(new()
        {
            ["CustomerAuth:LoginPermitsPerMinute"] = "1",
            ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8",
        });
        var client = bridge.CreateClient();

        await (await client.SendAsync(Login("198.51.100.7, 203.0.113.9", "a@example.com"))).AssertProblemAsync(401);

        await (await client.SendAsync(Login("198.51.100.8, 203.0.113.9", "b@example.com"))).AssertProblemAsync(429);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.256", "ForwardedHeaders__KnownProxies__0")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "ForwardedHeaders__KnownNetworks__0")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "load-balancer", "ForwardedHeaders__KnownNetworks__0")]
    public void StartUp_InvalidForwardedHeadersEntry_FailsNamingTheKey(string key, string value, string named)
    {
        using var bridge = Bridge(new() { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => bridge.CreateClient());

        Assert.Contains(named, string.Join("\n", Flatten(error).Select(e => e.Message)), StringComparison.Ordinal);
    }

    public void Dispose() => _stubs.Dispose();

    private BridgeFactory Bridge(Dictionary<string, string?> overrides) =>
        new(_stubs, overrides: overrides) { ExtraServices = services => services.AddSingleton<IStartupFilter>(new PeerAddress(LoadBalancer)) };

    private static HttpRequestMessage Login(string forwardedFor, string login)
    {
        var request = Http.Login(Http.Basic(login, "wrong"));
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is null ? [e] : [e, .. Flatten(e.InnerException)];
}
