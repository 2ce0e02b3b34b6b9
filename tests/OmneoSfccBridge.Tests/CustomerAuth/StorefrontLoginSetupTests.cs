using System.Net;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

/// <summary>A bridge with no storefront key: the endpoint is off, and says so.</summary>
public sealed class StorefrontLoginOffTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    [Fact]
    public async Task StorefrontLogin_NoKeyConfigured_Is404WithoutReadingTheRequest()
    {
        var body = StorefrontLoginTests.Body("00003101", Now.ToUnixTimeSeconds());

        var response = await Client.SendAsync(StorefrontLoginTests.Signed(body));

        await response.AssertProblemAsync(404);
        Assert.Empty(Stubs.Sfcc.LogEntries);
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task OpenApi_NoKeyConfigured_SaysStorefrontLoginIsOff()
    {
        var document = await (await Client.GetAsync("/openapi/v1.json")).JsonAsync();

        var description = document.GetProperty("paths").GetProperty("/login/storefront").GetProperty("post").GetProperty("description").GetString();
        Assert.StartsWith("Off on this bridge", description, StringComparison.Ordinal);
    }
}

/// <summary>The per-key limit and the start-up checks of the keys.</summary>
public sealed class StorefrontLoginSetupTests : IDisposable
{
    private readonly UpstreamStubs _stubs = new();

    public StorefrontLoginSetupTests() => _stubs.Reset();

    [Fact]
    public async Task StorefrontLogin_OverThePerKeyLimit_Is429ForThatKeyOnly()
    {
        using var bridge = new BridgeFactory(_stubs, overrides: StorefrontFixture.Keys(permitsPerKeyPerMinute: 2));
        _stubs.OmneoIssuesTokens(bridge.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds());
        _stubs.OmneoAcceptsProfileUpdates();
        _stubs.SfccDataApiHas("00003201", VerifiedCustomer("cid00003201", "00003201", "amy@example.com"));
        _stubs.OmneoFindsIdentity("00003201", Profile("8401", "amy@example.com", identities: ("sfcc", "00003201")));
        _stubs.OmneoHasProfile("8401", Profile("8401", "amy@example.com", identities: ("sfcc", "00003201")));
        var client = bridge.CreateClient();
        var body = StorefrontLoginTests.Body("00003201", bridge.Time.GetUtcNow().ToUnixTimeSeconds());

        // Requests without the secret spend none of the key's permits.
        for (var i = 0; i < 5; i++)
        {
            var forged = StorefrontLoginTests.Signed(body, StorefrontFixture.KeyA, StorefrontFixture.SecretB);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(StorefrontLoginTests.Signed(body))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(StorefrontLoginTests.Signed(body))).StatusCode);
        var limited = await client.SendAsync(StorefrontLoginTests.Signed(body));
        var otherKey = await client.SendAsync(StorefrontLoginTests.Signed(body, StorefrontFixture.KeyB, StorefrontFixture.SecretB));

        await limited.AssertProblemAsync(429);
        Assert.Equal("storefront_key", (await limited.JsonAsync()).GetProperty("limit").GetString());
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task StorefrontLogin_ManyCallsFromOneAddress_AreNotCountedAsShopperLogins()
    {
        var settings = StorefrontFixture.Keys(permitsPerKeyPerMinute: 0);
        settings["CustomerAuth:LoginPermitsPerMinute"] = "2";
        using var bridge = new BridgeFactory(_stubs, overrides: settings);
        _stubs.OmneoIssuesTokens(bridge.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds());
        _stubs.OmneoAcceptsProfileUpdates();
        _stubs.SfccDataApiHas("00003202", VerifiedCustomer("cid00003202", "00003202", "ben@example.com"));
        _stubs.OmneoFindsIdentity("00003202", Profile("8402", "ben@example.com", identities: ("sfcc", "00003202")));
        _stubs.OmneoHasProfile("8402", Profile("8402", "ben@example.com", identities: ("sfcc", "00003202")));
        var client = bridge.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            var body = StorefrontLoginTests.Body("00003202", bridge.Time.GetUtcNow().ToUnixTimeSeconds());
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(StorefrontLoginTests.Signed(body))).StatusCode);
        }
    }

    [Fact]
    public void Startup_ShortSecretOrDuplicateId_FailsNamingEachKey()
    {
        using var bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?>
        {
            ["Storefront:Keys:0:Id"] = "cartridge-2025",
            ["Storefront:Keys:0:Secret"] = "too-short-secret",
            ["Storefront:Keys:1:Id"] = "cartridge-2025",
            ["Storefront:Keys:1:Secret"] = StorefrontFixture.SecretB,
            ["Storefront:Keys:2:Id"] = "../bad",
            ["Storefront:Keys:2:Secret"] = StorefrontFixture.SecretA,
            ["Storefront:MaxClockSkewSeconds"] = "0",
        });

        var error = Assert.ThrowsAny<Exception>(() => bridge.CreateClient());

        var messages = string.Join("\n", Flatten(error).Select(e => e.Message));
        Assert.Contains("Storefront__Keys__0__Secret: the secret of key 'cartridge-2025' is 16 bytes; at least 32", messages);
        Assert.Contains("Storefront__Keys__1__Id: 'cartridge-2025' is the id of another key too", messages);
        Assert.Contains("Storefront__Keys__2__Id: is required", messages);
        Assert.Contains("Storefront__MaxClockSkewSeconds: must be between 5 and 3600 (was 0)", messages);
        Assert.DoesNotContain("too-short-secret", messages, StringComparison.Ordinal);
    }

    public void Dispose() => _stubs.Dispose();

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is null ? [e] : [e, .. Flatten(e.InnerException)];
}
