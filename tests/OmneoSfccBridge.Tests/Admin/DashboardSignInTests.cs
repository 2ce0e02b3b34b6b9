using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Admin;

/// <summary>The Hangfire dashboard in a browser: sign in once with the admin key, then a session cookie that holds no key.</summary>
public sealed class DashboardSignInTests : IClassFixture<BridgeFixture>
{
    private readonly BridgeFixture _fixture;

    public DashboardSignInTests(BridgeFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task SignIn_RightKey_SetsAnHttpOnlySecureStrictSessionCookieWithoutTheKey()
    {
        var response = await SignInAsync(Client(_fixture.Bridge), BridgeFactory.AdminKey);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hangfire", response.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/hangfire", attributes);
        var expires = DateTimeOffset.Parse(attributes.Single(a => a.StartsWith("expires=", StringComparison.Ordinal))[8..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8.1));
        Assert.DoesNotContain(BridgeFactory.AdminKey, setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Uri.EscapeDataString(BridgeFactory.AdminKey), setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_SessionCookie_OpensIt()
    {
        var client = Client(_fixture.Bridge);
        var cookie = CookieOf(await SignInAsync(client, BridgeFactory.AdminKey));

        var dashboard = await client.SendAsync(Browser("/hangfire", cookie));
        var jobs = await client.SendAsync(Browser("/hangfire/jobs/succeeded", cookie));

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Hangfire", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongKey_Returns401WithTheFormAndNoCookie()
    {
        var response = await SignInAsync(Client(_fixture.Bridge), "wrong-key-wrong-key-wrong-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"/hangfire/login\">", page, StringComparison.Ordinal);
        Assert.Contains("That key was not accepted.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_Get_ShowsTheForm()
    {
        var response = await Client(_fixture.Bridge).GetAsync("/hangfire/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("name=\"key\" type=\"password\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData("99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Dashboard_ForgedCookie_RedirectsABrowserToSignIn(string value)
    {
        var response = await Client(_fixture.Bridge).SendAsync(Browser("/hangfire", "bridge-dashboard=" + value));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hangfire/login", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Dashboard_CookieWithALaterExpiryThanSigned_IsRefused()
    {
        var client = Client(_fixture.Bridge);
        var cookie = CookieOf(await SignInAsync(client, BridgeFactory.AdminKey));
        var (name, value) = (cookie.Split('=')[0], cookie[(cookie.IndexOf('=') + 1)..]);
        var expires = long.Parse(value.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
        var stretched = $"{name}={expires + 60}.{value.Split('.')[1]}";

        var response = await client.SendAsync(Script("/hangfire", cookie: stretched));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_AnonymousBrowser_IsRedirectedToSignIn_AScriptGets401()
    {
        var client = Client(_fixture.Bridge);

        var browser = await client.SendAsync(Browser("/hangfire/jobs/failed", null));
        var script = await client.SendAsync(Script("/hangfire"));

        Assert.Equal(HttpStatusCode.Redirect, browser.StatusCode);
        Assert.Equal("/hangfire/login", browser.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
    }

    [Fact]
    public async Task Dashboard_AdminKeyHeader_StillOpensIt()
    {
        var response = await Client(_fixture.Bridge).SendAsync(Script("/hangfire", BridgeFactory.AdminKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_ClearsTheCookie()
    {
        var response = await Client(_fixture.Bridge).PostAsync("/hangfire/logout", null);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hangfire/login", response.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("bridge-dashboard=;", setCookie, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/hangfire", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_ExpiredCookie_OrOneMadeUnderAnotherKey_IsRefused()
    {
        using var stubs = new UpstreamStubs();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?> { ["Admin:DashboardSessionMinutes"] = "30" });
        using var other = new BridgeFactory(stubs, overrides: new Dictionary<string, string?> { ["Admin:ApiKey"] = "another-admin-key-0123456789abcdef" });
        var client = Client(bridge);
        var cookie = CookieOf(await SignInAsync(client, BridgeFactory.AdminKey));
        var foreign = CookieOf(await SignInAsync(Client(other), "another-admin-key-0123456789abcdef"));

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Script("/hangfire", cookie: cookie))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Script("/hangfire", cookie: foreign))).StatusCode);
        bridge.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Script("/hangfire", cookie: cookie))).StatusCode);
        bridge.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Script("/hangfire", cookie: cookie))).StatusCode);
    }

    [Fact]
    public async Task SignIn_BurstOfWrongKeys_IsCutOffByTheAdminLimit()
    {
        using var stubs = new UpstreamStubs();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?> { ["Admin:PermitsPerMinute"] = "3" });
        var client = Client(bridge);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(client, $"guess-{i}-0123456789abcdefghij")).StatusCode);
        }

        var fourth = await SignInAsync(client, BridgeFactory.AdminKey);

        await fourth.AssertProblemAsync(429);
        Assert.False(fourth.Headers.Contains("Set-Cookie"));
    }

    private static HttpClient Client(BridgeFactory bridge) =>
        bridge.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string key) =>
        client.PostAsync("/hangfire/login", new FormUrlEncodedContent([new("key", key)]));

    /// <summary>The <c>name=value</c> a browser would send back.</summary>
    private static string CookieOf(HttpResponseMessage signIn) =>
        Assert.Single(signIn.Headers.GetValues("Set-Cookie")).Split(';')[0];

    private static HttpRequestMessage Browser(string path, string? cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        return request;
    }

    private static HttpRequestMessage Script(string path, string? key = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-Admin-Key", key);
        }

        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        return request;
    }
}
