using OmneoSfccBridge.Tests.Infrastructure;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Tests.Operations;

/// <summary>
/// Upstream URLs carry client secrets, shopper tokens and passwords: a configuration that would send them in clear
/// text off the machine, or that hides a password in a URL, is refused at start-up, naming the key.
/// </summary>
public sealed class UpstreamUrlValidationTests
{
    private static readonly string[] UpstreamKeys = ["Sfcc__InstanceUrl", "Sfcc__AccountManagerTokenUrl", "Omneo__BaseUrl", "Omneo__WebhookUrl"];

    public static TheoryData<string, string> PlainHttpOffLoopback => Cross(
        "http://zzzz-001.dx.commercecloud.salesforce.com",
        "http://10.0.0.5:8080",
        "http://localhost.attacker.example",
        "http://127.0.0.1.nip.io",
        "http://[::ffff:a00:5]");

    public static TheoryData<string, string> WithUserInfo => Cross(
        "https://bridge:s3cr3t-pass@zzzz-001.dx.commercecloud.salesforce.com",
        "https://s3cr3t-pass@api.acme.getomneo.com",
        "http://bridge:s3cr3t-pass@127.0.0.1:9000");

    public static TheoryData<string, string> Accepted => Cross(
        "https://zzzz-001.dx.commercecloud.salesforce.com",
        "http://localhost:8080",
        "http://LOCALHOST",
        "http://127.0.0.1:9",
        "http://127.42.0.1",
        "http://[::1]:8080");

    [Theory]
    [MemberData(nameof(PlainHttpOffLoopback))]
    public void Validate_PlainHttpToAHostOffLoopback_IsRefusedNamingTheKey(string key, string url)
    {
        var errors = Validate(key, url);

        Assert.Contains(errors, e => e.StartsWith(key + ": must be an https URL", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(WithUserInfo))]
    public void Validate_UrlWithUserInfo_IsRefusedNamingTheKeyWithoutRepeatingIt(string key, string url)
    {
        var errors = Validate(key, url);

        Assert.Contains(errors, e => e.StartsWith(key + ": must not hold a user name or password", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Validate_HttpsOrLoopbackHttp_IsAccepted(string key, string url)
    {
        Assert.Empty(Validate(key, url));
    }

    [Fact]
    public void Startup_PlainHttpUpstreams_RefusesNamingEachKey()
    {
        using var stubs = new UpstreamStubs();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?>
        {
            ["Sfcc:InstanceUrl"] = "http://zzzz-001.dx.commercecloud.salesforce.com",
            ["Sfcc:AccountManagerTokenUrl"] = "http://account.demandware.com/dw/oauth2/access_token",
            ["Omneo:BaseUrl"] = "https://bridge:s3cr3t-pass@api.acme.getomneo.com",
            ["Omneo:WebhookUrl"] = "http://bridge.example.com/webhooks/omneo",
        });

        var error = Assert.ThrowsAny<Exception>(() => bridge.CreateClient());

        var messages = string.Join("\n", Flatten(error).Select(e => e.Message));
        Assert.Contains("Sfcc__InstanceUrl: must be an https URL", messages, StringComparison.Ordinal);
        Assert.Contains("Sfcc__AccountManagerTokenUrl: must be an https URL", messages, StringComparison.Ordinal);
        Assert.Contains("Omneo__BaseUrl: must not hold a user name or password", messages, StringComparison.Ordinal);
        Assert.Contains("Omneo__WebhookUrl: must be an https URL", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", messages, StringComparison.Ordinal);
    }

    /// <summary>The problems the section's validator reports when only <paramref name="key"/> is set to <paramref name="url"/>.</summary>
    private static IReadOnlyList<string> Validate(string key, string url)
    {
        var sfcc = new SfccOptions
        {
            InstanceUrl = new Uri("https://zzzz-001.dx.commercecloud.salesforce.com"),
            SiteId = "RefArch",
            ClientId = "client",
            ClientSecret = "secret",
            CustomerListId = "RefArch",
        };
        var omneo = new OmneoOptions { BaseUrl = new Uri("https://api.acme.getomneo.com"), ApiToken = "token" };
        var value = new Uri(url);
        switch (key)
        {
            case "Sfcc__InstanceUrl": sfcc.InstanceUrl = value; break;
            case "Sfcc__AccountManagerTokenUrl": sfcc.AccountManagerTokenUrl = value; break;
            case "Omneo__BaseUrl": omneo.BaseUrl = value; break;
            case "Omneo__WebhookUrl": omneo.WebhookUrl = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(key), key, null);
        }

        var result = key.StartsWith("Sfcc", StringComparison.Ordinal)
            ? new SfccOptionsValidator().Validate(null, sfcc)
            : new OmneoOptionsValidator().Validate(null, omneo);
        return result.Failed ? [.. result.Failures] : [];
    }

    private static TheoryData<string, string> Cross(params string[] urls)
    {
        var data = new TheoryData<string, string>();
        foreach (var key in UpstreamKeys)
        {
            foreach (var url in urls)
            {
                data.Add(key, url);
            }
        }

        return data;
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is null ? [e] : [e, .. Flatten(e.InnerException)];
}
