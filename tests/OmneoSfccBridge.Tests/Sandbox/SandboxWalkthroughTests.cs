using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sandbox;

/// <summary>
/// README's "Five minutes with the sandbox", step by step, against the sandbox started as a newcomer starts it (the
/// built sandbox host, <c>src/OmneoSfccBridge.Sandbox</c>), checking the outputs the README shows. A delta runs where one could change the
/// outcome (at start, after Fran's verification, after a registration), as the sandbox's recurring one may at any
/// minute: the outputs must not depend on when it ticks.
/// </summary>
public sealed class SandboxWalkthroughTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Walkthrough_AsTheReadmeShowsIt_GivesTheReadmesOutputsWhateverTheDeltasTiming()
    {
        await using var sandbox = new BridgeProcess(
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = null, ["DOTNET_ENVIRONMENT"] = null, ["Logging:LogLevel:Default"] = "Warning" },
            bridgeDll: typeof(SandboxProgram).Assembly.Location);
        var stale = Path.Combine(sandbox.WorkingDirectory, "data", "sandbox", "left-from-an-earlier-run.db");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllTextAsync(stale, "old");
        await sandbox.StartAsync();
        using var http = new HttpClient { BaseAddress = sandbox.Url };

        // The data folder as README states it: wiped at start, the admin key kept beside it.
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(Path.Combine(sandbox.WorkingDirectory, "data", "sandbox", "bridge.db")));
        var key = (await File.ReadAllTextAsync(Path.Combine(sandbox.WorkingDirectory, "data", "sandbox-admin.key"))).Trim();
        http.DefaultRequestHeaders.Add("X-Admin-Key", key);
        var tick = new DeltaTicks(http);

        // The delta's first run after start-up leaves every demo customer alone.
        var first = await tick.RunAsync();
        Assert.Equal(0, first.GetProperty("linked_customers").GetInt64());

        var alice = await LoginAsync(http, Basic("alice@example.com", "Sandbox-Pass1!"));
        Assert.Equal(("501", "00001001", false), (alice.Profile, alice.CustomerNo, alice.Guest));

        var sandboxInfo = await http.GetFromJsonAsync<JsonElement>("/sandbox");
        var shop = sandboxInfo.GetProperty("sfcc_shop_url").GetString()!;
        using var guestAuth = new HttpRequestMessage(HttpMethod.Post, shop + "/customers/auth") { Content = JsonContent.Create(new { type = "guest" }) };
        guestAuth.Headers.Add("x-dw-client-id", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        var guestToken = (await http.SendAsync(guestAuth)).Headers.GetValues("Authorization").Single()["Bearer ".Length..];
        var guest = await LoginAsync(http, "Bearer " + guestToken);
        Assert.Equal((null, null, true), (guest.Profile, guest.CustomerNo, guest.Guest));

        var aliceView = await http.GetFromJsonAsync<JsonElement>("/admin/customers/00001001");
        Assert.Equal("501", aliceView.GetProperty("link").GetProperty("profile_id").GetString());

        var fran = await LoginAsync(http, Basic("fran@example.com", "Sandbox-Pass1!"));
        Assert.Equal("505", fran.Profile);
        var franView = await http.GetFromJsonAsync<JsonElement>("/admin/customers/00001004");
        Assert.True(franView.GetProperty("link").GetProperty("email_withheld").GetBoolean());
        Assert.Contains(franView.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("profile_id").GetString() == "504");
        (await http.PatchAsJsonAsync("/sandbox/sfcc/customers/00001004", new Dictionary<string, object> { ["c_emailVerified"] = true })).EnsureSuccessStatusCode();
        await tick.RunAsync();
        Assert.Equal("504", (await LoginAsync(http, Basic("fran@example.com", "Sandbox-Pass1!"))).Profile);

        var secret = (await http.GetFromJsonAsync<JsonElement>("/sandbox/storefront")).GetProperty("secret").GetString()!;
        var body = $$"""{"customer_no":"00001001","timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}""";
        using var storefront = new HttpRequestMessage(HttpMethod.Post, "/login/storefront") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        storefront.Headers.Add("X-Storefront-Key", "sandbox-storefront");
        storefront.Headers.Add("X-Storefront-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        Assert.Equal("501", Parse(await http.SendAsync(storefront)).Profile);

        using var guestAuth2 = new HttpRequestMessage(HttpMethod.Post, shop + "/customers/auth") { Content = JsonContent.Create(new { type = "guest" }) };
        guestAuth2.Headers.Add("x-dw-client-id", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        var guest2 = (await http.SendAsync(guestAuth2)).Headers.GetValues("Authorization").Single()["Bearer ".Length..];
        var create = Http.Create("Bearer " + guest2, new { login = "erin@example.com", email = "erin@example.com", password = "Erin-Pass1!", first_name = "Erin", last_name = "Evans" }, "demo-1");
        var created = await (await http.SendAsync(create)).JsonAsync();
        Assert.Equal(("00001005", "506"), (created.GetProperty("customer_no").GetString(), created.GetProperty("profile_id").GetString()));
        await tick.RunAsync();
        Assert.Equal("506", (await LoginAsync(http, Basic("erin@example.com", "Erin-Pass1!"))).Profile);

        var slas = new Uri(shop).GetLeftPart(UriPartial.Authority) + "/shopper/auth/v1/organizations/f_ecom_zzzz_001/oauth2";
        var slasGuest = await SlasTokenAsync(http, slas + "/token", "grant_type=client_credentials&channel_id=RefArch");
        var slasGuestLogin = await LoginAsync(http, "Bearer " + slasGuest);
        Assert.Equal((null, null, true), (slasGuestLogin.Profile, slasGuestLogin.CustomerNo, slasGuestLogin.Guest));
        var slasDave = await SlasTokenAsync(http, slas + "/trusted-system/token", "grant_type=client_credentials&hint=ts_ext_on_behalf_of&login_id=dave@example.com&idp_origin=ecom&channel_id=RefArch");
        var dave = await LoginAsync(http, "Bearer " + slasDave);
        Assert.Equal(("507", "00001003", false), (dave.Profile, dave.CustomerNo, dave.Guest));

        // The sync walkthrough: change, wait a second, note the time, queue the delta, wait on the status endpoint
        // for a delta run started since then, then look (README's loop, in C#).
        (await http.PatchAsJsonAsync("/sandbox/sfcc/customers/00001001", new { first_name = "Alicia" })).EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var queued = await http.PostAsync("/admin/sync/sfcc-to-omneo", null);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var queuedBody = await queued.JsonAsync();
        Assert.Equal("/admin/sync/status", queuedBody.GetProperty("status_url").GetString());
        Assert.StartsWith("Delta queued", queuedBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await PollAsync(async () =>
            (await http.GetFromJsonAsync<JsonElement>("/admin/sync/status")).GetProperty("last_runs").EnumerateArray().Any(r =>
                r.GetProperty("kind").GetString() == "delta" && r.GetProperty("outcome").GetString() == "completed"
                && string.CompareOrdinal(r.GetProperty("started_at").GetString(), after) >= 0) ? new object() : null);
        Assert.Equal("Alicia", (await http.GetFromJsonAsync<JsonElement>("/sandbox/omneo/profiles/501")).GetProperty("first_name").GetString());

        // Omneo → SFCC: the delivery is stored (pending) before the simulated Omneo's PATCH answers; wait until none is.
        var delivery = await (await http.PatchAsJsonAsync("/sandbox/omneo/profiles/501", new { last_name = "Archer-Smith" })).JsonAsync();
        Assert.Equal(202, delivery.GetProperty("webhook_status").GetInt32());
        await PollAsync(async () =>
            (await http.GetFromJsonAsync<JsonElement>("/admin/sync/status")).GetProperty("webhooks").TryGetProperty("pending", out var pending) && pending.GetInt64() > 0 ? null : new object());
        Assert.Equal("Archer-Smith", (await http.GetFromJsonAsync<JsonElement>("/sandbox/sfcc/customers/00001001")).GetProperty("last_name").GetString());
    }

    /// <summary>Polls once a second, as the README's loop does (and within the sandbox's admin rate limit), for at most 90 s.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var attempt = 0; attempt < 90; attempt++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException("The sandbox did not get there within 90 s.");
    }

    private static string Basic(string login, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}:{password}"));

    private static async Task<Login> LoginAsync(HttpClient http, string authorization) => Parse(await http.SendAsync(Http.Login(authorization)));

    private static Login Parse(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        var body = response.Content.ReadFromJsonAsync<JsonElement>(Json).GetAwaiter().GetResult();
        return new Login(body.GetProperty("profile_id").GetString(), body.GetProperty("customer_no").GetString(), body.GetProperty("guest").GetBoolean());
    }

    private static async Task<string> SlasTokenAsync(HttpClient http, string url, string form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("sandbox-slas-client:sandbox-slas-secret")));
        return (await (await http.SendAsync(request)).JsonAsync()).GetProperty("access_token").GetString()!;
    }

    private sealed record Login(string? Profile, string? CustomerNo, bool Guest);

    /// <summary>Runs the delta now and waits on the status endpoint, as the README's walkthrough does.</summary>
    private sealed class DeltaTicks(HttpClient http)
    {
        public async Task<JsonElement> RunAsync()
        {
            var before = LastRun(await http.GetFromJsonAsync<JsonElement>("/admin/sync/status"));
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/admin/sync/sfcc-to-omneo", null)).StatusCode);
            var status = await PollAsync(async () =>
            {
                var s = await http.GetFromJsonAsync<JsonElement>("/admin/sync/status");
                return s.GetProperty("last_runs").EnumerateArray().Any(r => r.GetProperty("id").GetInt64() > before && r.GetProperty("outcome").GetString() == "completed")
                    ? new Box(s)
                    : null;
            });
            return status.Value;
        }

        private static long LastRun(JsonElement status) =>
            status.GetProperty("last_runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).DefaultIfEmpty(0).Max();
    }

    private sealed record Box(JsonElement Value);
}
