using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

/// <summary>A bridge with two live storefront keys (a rotation in progress) and no per-key limit.</summary>
public sealed class StorefrontFixture : IDisposable
{
    public const string KeyA = "cartridge-2025";
    public const string SecretA = "storefront-secret-a-0123456789abcdef0123456789";
    public const string KeyB = "cartridge-2026";
    public const string SecretB = "storefront-secret-b-fedcba9876543210fedcba9876";

    public StorefrontFixture()
    {
        Stubs = new UpstreamStubs();
        Bridge = new BridgeFactory(Stubs, overrides: Keys(permitsPerKeyPerMinute: 0));
    }

    public UpstreamStubs Stubs { get; }

    public BridgeFactory Bridge { get; }

    public static Dictionary<string, string?> Keys(int permitsPerKeyPerMinute) => new()
    {
        ["Storefront:Keys:0:Id"] = KeyA,
        ["Storefront:Keys:0:Secret"] = SecretA,
        ["Storefront:Keys:1:Id"] = KeyB,
        ["Storefront:Keys:1:Secret"] = SecretB,
        ["Storefront:PermitsPerKeyPerMinute"] = permitsPerKeyPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public void Dispose()
    {
        Bridge.Dispose();
        Stubs.Dispose();
    }
}

/// <summary>
/// <c>POST /login/storefront</c> as its attackers would use it: every way to get a token without the key's secret, for
/// another shopper, or outside the time window is the same 401 before any upstream call.
/// </summary>
public sealed class StorefrontLoginTests : IClassFixture<StorefrontFixture>
{
    private const string Refused = "The signed storefront request was not accepted.";
    private readonly StorefrontFixture _fixture;
    private readonly HttpClient _client;

    public StorefrontLoginTests(StorefrontFixture fixture)
    {
        _fixture = fixture;
        fixture.Stubs.Reset();
        fixture.Stubs.OmneoIssuesTokens(fixture.Bridge.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds());
        fixture.Stubs.OmneoAcceptsProfileUpdates();
        _client = fixture.Bridge.CreateClient();
    }

    private UpstreamStubs Stubs => _fixture.Stubs;

    private long Now => _fixture.Bridge.Time.GetUtcNow().ToUnixTimeSeconds();

    public static string Body(string customerNo, long timestamp) => $$"""{"customer_no":"{{customerNo}}","timestamp":{{timestamp}}}""";

    public static HttpRequestMessage Storefront(string body, string? keyId, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/login/storefront") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (keyId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Storefront-Key", keyId);
        }

        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Storefront-Signature", signature);
        }

        return request;
    }

    public static HttpRequestMessage Signed(string body, string keyId = StorefrontFixture.KeyA, string secret = StorefrontFixture.SecretA) =>
        Storefront(body, keyId, Sign(body, secret));

    /// <summary>A customer SFCC's Data API knows, whose Omneo profile already holds the sfcc identity.</summary>
    private void Known(string customerNo, string profileId, string email)
    {
        Stubs.SfccDataApiHas(customerNo, VerifiedCustomer("cid" + customerNo, customerNo, email));
        Stubs.OmneoFindsIdentity(customerNo, Profile(profileId, email, identities: ("sfcc", customerNo)));
        Stubs.OmneoHasProfile(profileId, Profile(profileId, email, identities: ("sfcc", customerNo)));
    }

    public static TheoryData<string> Refusals() =>
    [
        "forged signature", "signature of another body", "signed with the other key's secret", "unknown key id",
        "no signature", "no key id", "signature not hex", "signature truncated", "signature sent twice",
        "timestamp too old", "timestamp in the future", "timestamp far in the past", "extra member", "duplicate customer_no",
        "duplicate timestamp", "no timestamp", "no customer_no", "customer_no a number", "timestamp a string",
        "timestamp fractional", "body an array", "body a string", "customer_no ..", "customer_no with a slash",
        "customer_no empty", "customer_no too long", "member names in another case",
    ];

    private HttpRequestMessage Attack(string scenario)
    {
        const string no = "00003001";
        var now = Now;
        var good = Body(no, now);
        return scenario switch
        {
            "forged signature" => Storefront(good, StorefrontFixture.KeyA, new string('a', 64)),
            "signature of another body" => Storefront(good, StorefrontFixture.KeyA, Sign(Body("00003002", now), StorefrontFixture.SecretA)),
            "signed with the other key's secret" => Signed(good, StorefrontFixture.KeyA, StorefrontFixture.SecretB),
            "unknown key id" => Signed(good, "cartridge-1999", StorefrontFixture.SecretA),
            "no signature" => Storefront(good, StorefrontFixture.KeyA, null),
            "no key id" => Storefront(good, null, Sign(good, StorefrontFixture.SecretA)),
            "signature not hex" => Storefront(good, StorefrontFixture.KeyA, new string('z', 64)),
            "signature truncated" => Storefront(good, StorefrontFixture.KeyA, Sign(good, StorefrontFixture.SecretA)[..62]),
            "signature sent twice" => Twice(Signed(good), "X-Storefront-Signature", Sign(good, StorefrontFixture.SecretA)),
            "timestamp too old" => Signed(Body(no, now - 301)),
            "timestamp in the future" => Signed(Body(no, now + 301)),
            "timestamp far in the past" => Signed(Body(no, long.MinValue)),
            "extra member" => Signed($$"""{"customer_no":"{{no}}","timestamp":{{now}},"guest":false}"""),
            "duplicate customer_no" => Signed($$"""{"customer_no":"00003002","timestamp":{{now}},"customer_no":"{{no}}"}"""),
            "duplicate timestamp" => Signed($$"""{"customer_no":"{{no}}","timestamp":{{now - 3600}},"timestamp":{{now}}}"""),
            "no timestamp" => Signed($$"""{"customer_no":"{{no}}"}"""),
            "no customer_no" => Signed($$"""{"timestamp":{{now}}}"""),
            "customer_no a number" => Signed($$"""{"customer_no":3001,"timestamp":{{now}}}"""),
            "timestamp a string" => Signed($$"""{"customer_no":"{{no}}","timestamp":"{{now}}"}"""),
            "timestamp fractional" => Signed($$"""{"customer_no":"{{no}}","timestamp":{{now}}.5}"""),
            "body an array" => Signed($$"""["{{no}}",{{now}}]"""),
            "body a string" => Signed("\"" + no + "\""),
            "customer_no .." => Signed(Body("..", now)),
            "customer_no with a slash" => Signed(Body("00003001/../x", now)),
            "customer_no empty" => Signed(Body("", now)),
            "customer_no too long" => Signed(Body(new string('1', 65), now)),
            "member names in another case" => Signed($$"""{"Customer_No":"{{no}}","Timestamp":{{now}}}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
    }

    private static HttpRequestMessage Twice(HttpRequestMessage request, string header, string value)
    {
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task StorefrontLogin_Attack_Is401WithOneBodyAndNoUpstreamCall(string scenario)
    {
        Known("00003001", "8301", "sam@example.com");

        var response = await _client.SendAsync(Attack(scenario));

        await response.AssertProblemAsync(401);
        Assert.Equal("Storefront", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(Refused, (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Empty(Stubs.Sfcc.LogEntries);
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task StorefrontLogin_SignedKnownCustomer_ReturnsTheSameBodyAsLogin()
    {
        Known("00003011", "8311", "tia@example.com");

        var response = await _client.SendAsync(Signed(Body("00003011", Now)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.JsonAsync();
        Assert.Equal("omneo-token-for-8311", body.GetProperty("token").GetString());
        Assert.Equal("8311", body.GetProperty("profile_id").GetString());
        Assert.Equal("00003011", body.GetProperty("customer_no").GetString());
        Assert.False(body.GetProperty("guest").GetBoolean());
        Assert.True(body.GetProperty("expiry").GetDateTime() > DateTime.UtcNow);
        Assert.Equal(1, Count(Stubs.Sfcc, $"{Data}/customer_lists/{ListId}/customers/00003011", "GET"));
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public async Task StorefrontLogin_TimestampWithinTheSkew_IsAccepted(long offset)
    {
        Known("00003012", "8312", "uma@example.com");

        var response = await _client.SendAsync(Signed(Body("00003012", Now + offset)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StorefrontLogin_UppercaseHexSignature_IsTheSameSignature()
    {
        Known("00003013", "8313", "val@example.com");
        var body = Body("00003013", Now);

        var response = await _client.SendAsync(Storefront(body, StorefrontFixture.KeyA, Sign(body, StorefrontFixture.SecretA).ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StorefrontLogin_LinkedCustomer_CostsExactlyOneUpstreamCallTheOmneoToken()
    {
        Known("00003021", "8321", "wes@example.com");
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Signed(Body("00003021", Now)))).StatusCode);

        // The login's background profile refresh settles first, so it cannot be counted as the warm login's call.
        var store = _fixture.Bridge.Services.GetRequiredService<CustomerLinkStore>();
        await Eventually.AwaitsAsync(async () => await store.FindAsync(ListId, "00003021", CancellationToken.None) is { LastRefreshedAt: not null } link ? link : null);
        Stubs.Sfcc.ResetLogEntries();
        Stubs.Omneo.ResetLogEntries();

        var warm = await _client.SendAsync(Signed(Body("00003021", Now)));

        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        Assert.Equal("8321", (await warm.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Empty(Stubs.Sfcc.LogEntries);
        var call = Assert.Single(Stubs.Omneo.LogEntries);
        Assert.Equal(("POST", "/id/api/v1/auth/token"), (call.RequestMessage.Method, call.RequestMessage.Path));
    }

    [Fact]
    public async Task StorefrontLogin_AfterThisInstanceMovesOrDropsTheLink_NeverGetsTheOldProfile()
    {
        Known("00003091", "8391", "uma@example.com");
        var store = _fixture.Bridge.Services.GetRequiredService<CustomerLinkStore>();
        async Task<string?> ProfileOfLoginAsync()
        {
            var response = await _client.SendAsync(Signed(Body("00003091", Now)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.JsonAsync()).GetProperty("profile_id").GetString();
        }

        Assert.Equal("8391", await ProfileOfLoginAsync());
        Assert.Equal("8391", await ProfileOfLoginAsync());

        // The first login's background profile refresh settles first, so it cannot write the link behind the test.
        await Eventually.AwaitsAsync(async () => await store.FindAsync(ListId, "00003091", CancellationToken.None) is { LastRefreshedAt: not null } link ? link : null);
        await store.UpsertAsync(ListId, "00003091", null, "8392", "merge", CancellationToken.None);
        Assert.Equal("8392", await ProfileOfLoginAsync());

        Assert.True(await store.DeleteAsync(ListId, "00003091", "8392", CancellationToken.None));
        Assert.Null(await store.FindRecentAsync(ListId, "00003091", CancellationToken.None));
        Stubs.Sfcc.ResetLogEntries();
        Assert.Equal("8391", await ProfileOfLoginAsync());
        Assert.Equal(1, Count(Stubs.Sfcc, $"{Data}/customer_lists/{ListId}/customers/00003091", "GET"));
    }

    [Fact]
    public async Task StorefrontLogin_CustomerUnknownToSfcc_Is401AfterOneDataApiCall()
    {
        Stubs.Sfcc.Given(Request.Create().WithPath($"{Data}/customer_lists/{ListId}/customers/00003031").UsingGet())
            .RespondWith(Fault(404, "CustomerNotFoundException"));

        var response = await _client.SendAsync(Signed(Body("00003031", Now)));

        await response.AssertProblemAsync(401);
        Assert.Equal("Storefront", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(Refused, (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(1, Count(Stubs.Sfcc, $"{Data}/customer_lists/{ListId}/customers/00003031", "GET"));
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task StorefrontLogin_EmailMatchNotVerified_GetsItsOwnProfileNotTheEarlierOne()
    {
        // The linking policy applies unchanged: a signed customer_no is no licence to take a profile by email.
        Stubs.SfccDataApiHas("00003041", Customer("cid00003041", "00003041", "xia@example.com"));
        Stubs.OmneoFindsNoOtherIdentity();
        Stubs.OmneoEmailSearchReturns("xia@example.com", Profile("8341", "xia@example.com"));
        Stubs.OmneoCreatesProfile("8342", "xia@example.com");
        Stubs.OmneoAcceptsIdentities();

        var response = await _client.SendAsync(Signed(Body("00003041", Now)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("8342", (await response.JsonAsync()).GetProperty("profile_id").GetString());
    }

    [Fact]
    public async Task StorefrontLogin_TwoLiveKeysDuringRotation_BothAreAccepted()
    {
        Known("00003051", "8351", "yan@example.com");

        var old = await _client.SendAsync(Signed(Body("00003051", Now), StorefrontFixture.KeyA, StorefrontFixture.SecretA));
        var @new = await _client.SendAsync(Signed(Body("00003051", Now), StorefrontFixture.KeyB, StorefrontFixture.SecretB));

        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, @new.StatusCode);
    }

    [Theory]
    [InlineData("""{"customer_no":"00003061","timestamp":""")]
    [InlineData("""{"customer_no":"00003061","timestamp":1} trailing""")]
    [InlineData("")]
    [InlineData("not json")]
    public async Task StorefrontLogin_MalformedJson_Is400(string body)
    {
        var response = await _client.SendAsync(Signed(body));

        await response.AssertProblemAsync(400);

        // Not Empty: an earlier test's background profile refresh may still reach the stubs after their reset.
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path.Contains("00003061", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StorefrontLogin_BodyOver1KB_Is400EvenWhenSigned()
    {
        var body = $$"""{"customer_no":"00003071","timestamp":{{Now}}}""" + new string(' ', 1000);

        var response = await _client.SendAsync(Signed(body));

        await response.AssertProblemAsync(400);

        // Not Empty: an earlier test's background profile refresh may still reach the stubs after their reset.
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path.Contains("00003061", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StorefrontLogin_AnyOutcome_LogsNoSecretSignatureOrBody()
    {
        Known("00003081", "8381", "zed@example.com");
        var body = Body("00003081", Now);
        var signature = Sign(body, StorefrontFixture.SecretA);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Storefront(body, StorefrontFixture.KeyA, signature))).StatusCode);
        var forged = Sign(body, StorefrontFixture.SecretB);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(Storefront(body, StorefrontFixture.KeyA, forged))).StatusCode);

        foreach (var record in _fixture.Bridge.Logs.GetSnapshot())
        {
            var text = record.Message + " " + record.Exception + " " + string.Join(" ", record.StructuredState?.Select(s => s.Value) ?? []);
            foreach (var secret in new[] { StorefrontFixture.SecretA, StorefrontFixture.SecretB, signature, forged, body })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
