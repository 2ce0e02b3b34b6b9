using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using OmneoSfccBridge.BrowserCallers;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.BrowserCallers;

/// <summary>A bridge that lets one storefront origin call it from a browser.</summary>
public sealed class CorsFixture : IDisposable
{
    public const string Storefront = "https://www.shop.example";
    public const string OtherSite = "https://evil.example";

    public CorsFixture()
    {
        Stubs = new UpstreamStubs();
        Bridge = new BridgeFactory(Stubs, overrides: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = Storefront,
            ["Cors:AllowedOrigins:1"] = "http://localhost:3000",
        });
    }

    public UpstreamStubs Stubs { get; }

    public BridgeFactory Bridge { get; }

    public void Dispose()
    {
        Bridge.Dispose();
        Stubs.Dispose();
    }
}

/// <summary>Storefront pages may call /login and /create from a browser; nothing else answers CORS.</summary>
public sealed class CorsTests : IClassFixture<CorsFixture>
{
    private readonly CorsFixture _fixture;
    private readonly HttpClient _client;

    public CorsTests(CorsFixture fixture)
    {
        _fixture = fixture;
        fixture.Stubs.Reset();
        _client = fixture.Bridge.CreateClient();
    }

    /// <summary>An OPTIONS preflight with the headers Chrome sends for a <c>fetch</c> POST with Authorization and JSON.</summary>
    internal static HttpRequestMessage ChromePreflight(string path, string origin, string requestHeaders = "authorization,content-type")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", requestHeaders);
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "cors");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "empty");
        request.Headers.TryAddWithoutValidation("Referer", origin + "/");
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        return request;
    }

    private static HttpRequestMessage FromOrigin(HttpRequestMessage request, string origin)
    {
        request.Headers.TryAddWithoutValidation("Origin", origin);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static void AssertNoCors(HttpResponseMessage response) =>
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));

    private static void AssertReadableBy(HttpResponseMessage response, string origin)
    {
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        var exposed = Header(response, "Access-Control-Expose-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("Retry-After", exposed);
        Assert.Contains("WWW-Authenticate", exposed);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Theory]
    [InlineData("/login", "authorization,content-type")]
    [InlineData("/create", "authorization,content-type,idempotency-key")]
    public async Task Preflight_AsChromeSendsItFromAnAllowedOrigin_IsAnsweredWithThePolicy(string path, string requestHeaders)
    {
        var response = await _client.SendAsync(ChromePreflight(path, CorsFixture.Storefront, requestHeaders));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(CorsFixture.Storefront, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("POST", Header(response, "Access-Control-Allow-Methods"));
        var allowed = Header(response, "Access-Control-Allow-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.All(requestHeaders.Split(','), h => Assert.Contains(h, allowed, StringComparer.OrdinalIgnoreCase));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", response.Headers.Vary);
        Assert.Empty(_fixture.Stubs.Sfcc.LogEntries);
    }

    [Fact]
    public async Task Preflight_LoopbackDevelopmentOrigin_IsAllowed()
    {
        var response = await _client.SendAsync(ChromePreflight("/login", "http://localhost:3000"));

        Assert.Equal("http://localhost:3000", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_AskingForAHeaderOutsideThePolicy_DoesNotAllowIt()
    {
        var response = await _client.SendAsync(ChromePreflight("/login", CorsFixture.Storefront, "authorization,x-custom"));

        // The framework answers with the policy's list; the browser then refuses the request itself.
        Assert.DoesNotContain("x-custom", Header(response, "Access-Control-Allow-Headers") ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/create")]
    public async Task Preflight_FromAnotherOrigin_GetsNoCorsHeaders(string path)
    {
        var response = await _client.SendAsync(ChromePreflight(path, CorsFixture.OtherSite));

        AssertNoCors(response);
    }

    [Fact]
    public async Task Login_FromAnAllowedOrigin_Succeeds_WithCorsHeadersAndExposedHeaders()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var now = _fixture.Bridge.Time.GetUtcNow();
        _fixture.Stubs.SfccAcceptsCredentials("cors@example.com", "pw", Customer(customerId, "00000701", "cors@example.com"), OcapiTokens.Registered(customerId, now));
        _fixture.Stubs.OmneoFindsIdentity("00000701", Profile("7701", "cors@example.com", identities: ("sfcc", "00000701")));
        _fixture.Stubs.OmneoIssuesTokens(now.AddMinutes(15).ToUnixTimeSeconds());

        var response = await _client.SendAsync(FromOrigin(Http.Login(Http.Basic("cors@example.com", "pw")), CorsFixture.Storefront));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertReadableBy(response, CorsFixture.Storefront);
    }

    [Fact]
    public async Task Login_RefusedFromAnAllowedOrigin_The401AndItsWwwAuthenticateAreReadable()
    {
        _fixture.Stubs.SfccRefusesOtherCredentials();

        var response = await _client.SendAsync(FromOrigin(Http.Login(Http.Basic("nobody@example.com", "wrong")), CorsFixture.Storefront));

        await response.AssertProblemAsync(401);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        AssertReadableBy(response, CorsFixture.Storefront);
    }

    [Fact]
    public async Task Login_UpstreamFailureFromAnAllowedOrigin_TheProblemFromTheExceptionHandlerIsReadable()
    {
        _fixture.Stubs.Sfcc.Given(Request.Create().WithPath(Shop + "/customers/auth").UsingPost()).RespondWith(Json(500, new { fault = new { type = "InternalServerError" } }));

        var response = await _client.SendAsync(FromOrigin(Http.Login(Http.Basic("ann@example.com", "pw")), CorsFixture.Storefront));

        await response.AssertProblemAsync(502);
        AssertReadableBy(response, CorsFixture.Storefront);
    }

    [Fact]
    public async Task Create_MalformedFromAnAllowedOrigin_The400IsReadable()
    {
        var response = await _client.SendAsync(FromOrigin(Http.Create(null, new { login = "x" }), CorsFixture.Storefront));

        await response.AssertProblemAsync(400);
        AssertReadableBy(response, CorsFixture.Storefront);
    }

    [Fact]
    public async Task Login_FromAnotherOrigin_GetsNoCorsHeaders()
    {
        _fixture.Stubs.SfccRefusesOtherCredentials();

        var response = await _client.SendAsync(FromOrigin(Http.Login(Http.Basic("nobody@example.com", "wrong")), CorsFixture.OtherSite));

        await response.AssertProblemAsync(401);
        AssertNoCors(response);
    }

    [Theory]
    [InlineData("/admin/customers/00000001")]
    [InlineData("/admin/sync/backfill")]
    [InlineData("/hangfire")]
    [InlineData("/webhooks/omneo")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/login/storefront")]
    public async Task OtherSurfaces_PreflightAndRequestFromAnAllowedOrigin_NeverAnswerCors(string path)
    {
        var preflight = await _client.SendAsync(ChromePreflight(path, CorsFixture.Storefront, "x-admin-key,content-type"));
        var get = new HttpRequestMessage(HttpMethod.Get, path);
        get.Headers.Add("X-Admin-Key", BridgeFactory.AdminKey);
        var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        post.Headers.Add("X-Admin-Key", BridgeFactory.AdminKey);

        AssertNoCors(preflight);
        AssertNoCors(await _client.SendAsync(FromOrigin(get, CorsFixture.Storefront)));
        AssertNoCors(await _client.SendAsync(FromOrigin(post, CorsFixture.Storefront)));
    }
}

/// <summary>CORS and the limits, CORS off, and what start-up refuses.</summary>
public sealed class CorsConfigurationTests : IDisposable
{
    private readonly UpstreamStubs _stubs = new();

    [Fact]
    public async Task Preflight_WhenTheClientAddressIsOutOfPermits_IsStillAnsweredAndThe429IsReadable()
    {
        using var bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = CorsFixture.Storefront,
            ["CustomerAuth:LoginPermitsPerMinute"] = "1",
        });
        var client = bridge.CreateClient();
        await (await client.SendAsync(Http.Login(null))).AssertProblemAsync(400);

        var preflight = await client.SendAsync(CorsTests.ChromePreflight("/login", CorsFixture.Storefront));
        var login = new HttpRequestMessage(HttpMethod.Post, "/login");
        login.Headers.TryAddWithoutValidation("Origin", CorsFixture.Storefront);
        var limited = await client.SendAsync(login);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(CorsFixture.Storefront, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        await limited.AssertProblemAsync(429);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(CorsFixture.Storefront, limited.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Retry-After", limited.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_WithNoOriginConfigured_GetsNoCorsHeaders()
    {
        using var bridge = new BridgeFactory(_stubs);

        var response = await bridge.CreateClient().SendAsync(CorsTests.ChromePreflight("/login", CorsFixture.Storefront));

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Preflight_ConfiguredMaxAge_IsSent()
    {
        using var bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = CorsFixture.Storefront,
            ["Cors:PreflightMaxAgeSeconds"] = "7200",
        });

        var response = await bridge.CreateClient().SendAsync(CorsTests.ChromePreflight("/login", CorsFixture.Storefront));

        Assert.Equal("7200", response.Headers.GetValues("Access-Control-Max-Age").Single());
    }

    [Fact]
    public void Startup_WildcardOrigin_RefusesNamingTheKey()
    {
        using var bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "*" });

        var error = Assert.ThrowsAny<Exception>(() => bridge.CreateClient());

        Assert.Contains("Cors__AllowedOrigins__0: '*' is a wildcard", string.Join("\n", Flatten(error).Select(e => e.Message)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://*.shop.example")]
    [InlineData("https://www.shop.example/")]
    [InlineData("https://www.shop.example/account")]
    [InlineData("https://www.shop.example?x=1")]
    [InlineData("www.shop.example")]
    [InlineData("null")]
    [InlineData("ftp://www.shop.example")]
    [InlineData("chrome-extension://abcdefghijklmnop")]
    [InlineData("http://www.shop.example")]
    [InlineData("")]
    public void Validate_NotAnExactHttpsOrigin_IsRefusedNamingTheKey(string origin)
    {
        var problems = Validate(new() { [$"Cors:AllowedOrigins:0"] = "https://ok.example", [$"Cors:AllowedOrigins:1"] = origin });

        Assert.StartsWith("Cors__AllowedOrigins__1: ", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OriginWithUserInfo_IsRefusedWithoutRepeatingIt()
    {
        var problem = Assert.Single(Validate(new() { ["Cors:AllowedOrigins:0"] = "https://user:s3cr3t@www.shop.example" }));

        Assert.StartsWith("Cors__AllowedOrigins__0: ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ASingleValueInsteadOfAList_IsRefusedSayingHowToList()
    {
        var problem = Assert.Single(Validate(new() { ["Cors:AllowedOrigins"] = "https://a.example,https://b.example" }));

        Assert.Contains("Cors__AllowedOrigins__0", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://www.shop.example")]
    [InlineData("https://www.shop.example:8443")]
    [InlineData("https://WWW.Shop.Example")]
    [InlineData("http://localhost:3000")]
    [InlineData("http://127.0.0.1:8080")]
    public void Validate_ExactOrigin_IsAccepted(string origin)
    {
        Assert.Empty(Validate(new() { ["Cors:AllowedOrigins:0"] = origin }));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("86401")]
    public void Validate_MaxAgeOutOfRange_IsRefusedNamingTheKey(string seconds)
    {
        var problem = Assert.Single(Validate(new() { ["Cors:PreflightMaxAgeSeconds"] = seconds }));

        Assert.StartsWith("Cors__PreflightMaxAgeSeconds: ", problem, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(CorsSettings.SectionName).Get<CorsSettings>() ?? new CorsSettings();
        var result = new CorsSettingsValidator(configuration).Validate(null, options);
        return result.Failures ?? [];
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is null ? [e] : [e, .. Flatten(e.InnerException)];

    public void Dispose() => _stubs.Dispose();
}
