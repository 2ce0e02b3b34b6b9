using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.Server;
using WireMock.Settings;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

/// <summary>One bridge with SLAS on, the tenant's key served as its JWKS, and a server an attacker controls.</summary>
public sealed class SlasFixture : IDisposable
{
    public SlasFixture()
    {
        Stubs = new UpstreamStubs();
        Bridge = new BridgeFactory(Stubs, overrides: SlasTokens.Settings(Stubs));
    }

    public UpstreamStubs Stubs { get; }

    public BridgeFactory Bridge { get; }

    public SlasKey Key { get; } = new();

    public WireMockServer Attacker { get; } = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    public void Dispose()
    {
        Bridge.Dispose();
        Stubs.Dispose();
        Attacker.Stop();
        Key.Dispose();
    }
}

/// <summary>
/// SLAS access tokens on <c>POST /login</c>: the happy paths with their exact upstream calls, and every forgery an
/// attacker would try, each refused with the one 401 before SFCC's customer API or Omneo hears of it.
/// </summary>
public sealed class SlasLoginTests : IClassFixture<SlasFixture>
{
    private readonly SlasFixture _fixture;
    private readonly HttpClient _client;

    public SlasLoginTests(SlasFixture fixture)
    {
        _fixture = fixture;
        Stubs.Reset();
        fixture.Attacker.Reset();
        SlasTokens.ServeJwks(Stubs.Sfcc, Key);
        Stubs.OmneoIssuesTokens(Now.AddMinutes(15).ToUnixTimeSeconds());
        _client = fixture.Bridge.CreateClient();
    }

    private UpstreamStubs Stubs => _fixture.Stubs;

    private SlasKey Key => _fixture.Key;

    private DateTimeOffset Now => _fixture.Bridge.Time.GetUtcNow();

    private Task<HttpResponseMessage> LoginAsync(string token) => _client.SendAsync(Http.Login("Bearer " + token));

    private async Task AssertRefusedAsync(string token)
    {
        var response = await LoginAsync(token);

        await response.AssertProblemAsync(401);
        Assert.Equal("The credentials or the token were not accepted.", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Empty(SlasTokens.ShopperCalls(Stubs.Sfcc));
        Assert.Empty(Stubs.LoginCalls());
        Assert.Empty(_fixture.Attacker.LogEntries);
    }

    private string Token(Action<Dictionary<string, object>>? claims = null, Action<Dictionary<string, object>>? header = null, SlasKey? signer = null, string? isb = null)
    {
        var h = SlasTokens.Header(Key);
        header?.Invoke(h);
        var c = SlasTokens.Claims(isb ?? SlasTokens.RegisteredIsb(SlasTokens.NewCustomerId()), Now);
        claims?.Invoke(c);
        return SlasTokens.Sign(signer ?? Key, h, c);
    }

    [Fact]
    public async Task Login_SlasGuestToken_ReturnsAnAnonymousOmneoTokenWithOneUpstreamCall()
    {
        await LoginAsync(SlasTokens.Guest(Key, Now)); // the JWKS is fetched at most once, by whichever test runs first
        Stubs.Sfcc.ResetLogEntries();
        Stubs.Omneo.ResetLogEntries();

        var response = await LoginAsync(SlasTokens.Guest(Key, Now));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("guest").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("profile_id").ValueKind);
        Assert.Equal(["omneo /id/api/v1/auth/token"], Stubs.LoginCalls());
        Assert.Equal("""{"id":""}""", Assert.Single(Bodies(Stubs.Omneo, "/id/api/v1/auth/token")));
        Assert.Empty(SlasTokens.ShopperCalls(Stubs.Sfcc));
        Assert.Equal(0, SlasTokens.JwksCalls(Stubs.Sfcc));
    }

    [Fact]
    public async Task Login_SlasRegisteredTokenFirstTime_ReadsShopperCustomersOnceWithTheShoppersTokenAndLinks()
    {
        var rcid = SlasTokens.NewCustomerId();
        var token = SlasTokens.Registered(Key, rcid, Now);
        SlasTokens.ShopperCustomersHas(Stubs.Sfcc, token, rcid, "00000951", "sam951@example.com");
        Stubs.OmneoFindsIdentity("00000951", Profile("7951", "sam951@example.com", identities: ("sfcc", "00000951")));

        var response = await LoginAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("7951", body.GetProperty("profile_id").GetString());
        Assert.Equal("00000951", body.GetProperty("customer_no").GetString());
        Assert.False(body.GetProperty("guest").GetBoolean());
        Assert.Equal([$"GET {SlasTokens.CustomersPath}{rcid}"], SlasTokens.ShopperCalls(Stubs.Sfcc));
        var read = Stubs.Sfcc.LogEntries.Single(e => e.RequestMessage.Path == SlasTokens.CustomersPath + rcid).RequestMessage;
        Assert.Equal("Bearer " + token, read.Headers!["Authorization"].Single());
        Assert.Equal(SiteId, read.Query!["siteId"].Single());
    }

    [Fact]
    public async Task Login_SlasRegisteredShopperAlreadyLinked_CostsExactlyOneUpstreamCallAndRepeatsNoSignatureCheck()
    {
        var rcid = SlasTokens.NewCustomerId();
        var first = SlasTokens.Registered(Key, rcid, Now);
        SlasTokens.ShopperCustomersHas(Stubs.Sfcc, first, rcid, "00000952", "sam952@example.com");
        Stubs.OmneoFindsIdentity("00000952", Profile("7952", "sam952@example.com", identities: ("sfcc", "00000952")));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(first)).StatusCode);
        Stubs.Sfcc.ResetLogEntries();
        Stubs.Omneo.ResetLogEntries();

        // A new access token (SLAS refreshed it): its signature is checked, the link names the customer.
        var fresh = SlasTokens.Registered(Key, rcid, Now);
        var warm = await LoginAsync(fresh);

        Assert.Equal("7952", (await warm.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(["omneo /id/api/v1/auth/token"], Stubs.LoginCalls());
        Assert.Empty(SlasTokens.ShopperCalls(Stubs.Sfcc));
        Assert.Equal(0, SlasTokens.JwksCalls(Stubs.Sfcc));

        // The same token again: the verdict cache answers, no signature is verified.
        Stubs.Omneo.ResetLogEntries();
        var verifiedBefore = Verified();
        var again = await LoginAsync(fresh);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["omneo /id/api/v1/auth/token"], Stubs.LoginCalls());
        Assert.Empty(SlasTokens.ShopperCalls(Stubs.Sfcc));
        Assert.Equal(0, SlasTokens.JwksCalls(Stubs.Sfcc));
        Assert.Equal(verifiedBefore, Verified());
    }

    private int Verified() => _fixture.Bridge.Logs.GetSnapshot().Count(r => r.Id.Id == 1203 && r.Level == LogLevel.Debug);

    [Fact]
    public async Task Login_SlasRegisteredTokenShopperCustomersDeclines_Returns401WithoutOmneo()
    {
        var token = SlasTokens.Registered(Key, SlasTokens.NewCustomerId(), Now);

        var response = await LoginAsync(token); // no Shopper Customers stub: WireMock answers 404

        await response.AssertProblemAsync(401);
        Assert.DoesNotContain(Stubs.LoginCalls(), c => c.StartsWith("omneo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_SlasGuestToken_Returns401WithoutAnySfccCall()
    {
        var response = await _client.SendAsync(Http.Create("Bearer " + SlasTokens.Guest(Key, Now), new
        {
            login = "slas-guest@example.com",
            email = "slas-guest@example.com",
            password = "Correct-Horse-9",
            first_name = "Sia",
            last_name = "Slas",
        }));

        await response.AssertProblemAsync(401);
        Assert.Empty(SlasTokens.ShopperCalls(Stubs.Sfcc));
        Assert.Empty(Stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_Hs256SignedWithTheTenantsPublicKey_Returns401()
    {
        var header = SlasTokens.Header(Key);
        header["alg"] = "HS256";
        var input = SlasTokens.Unsigned(header, SlasTokens.Claims(SlasTokens.RegisteredIsb(SlasTokens.NewCustomerId()), Now));
        var jwk = Key.Jwk();
        foreach (var secret in new[] { Encoding.ASCII.GetBytes(Key.Ecdsa.ExportSubjectPublicKeyInfoPem()), Key.Ecdsa.ExportSubjectPublicKeyInfo(), Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(jwk)) })
        {
            await AssertRefusedAsync(input + "." + SlasTokens.B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input))));
        }

        Assert.Equal(0, SlasTokens.JwksCalls(Stubs.Sfcc));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("ES384")]
    [InlineData("RS256")]
    [InlineData("es256")]
    public async Task Login_SlasTokenWithAnotherAlg_Returns401(string alg)
    {
        var header = SlasTokens.Header(Key);
        header["alg"] = alg;
        var input = SlasTokens.Unsigned(header, SlasTokens.Claims(SlasTokens.GuestIsb(), Now));

        // alg none with a signature-shaped last part (an empty one is refused as "no signature" even earlier).
        await AssertRefusedAsync(input + "." + SlasTokens.B64(Key.Sign(input)));
        Assert.Equal(0, SlasTokens.JwksCalls(Stubs.Sfcc));
    }

    [Fact]
    public async Task Login_UnknownKid_Returns401AfterOneJwksRefetchOnly()
    {
        using var stranger = new SlasKey();
        _fixture.Bridge.Time.Advance(TimeSpan.FromMinutes(2)); // past the one-a-minute limit of earlier tests

        await AssertRefusedAsync(Token(signer: stranger, header: h => h["kid"] = stranger.Kid));
        Assert.Equal(1, SlasTokens.JwksCalls(Stubs.Sfcc));

        await AssertRefusedAsync(Token(signer: stranger, header: h => h["kid"] = stranger.Kid + "-2"));
        Assert.Equal(1, SlasTokens.JwksCalls(Stubs.Sfcc));
    }

    [Fact]
    public async Task Login_HeaderKeyPointersToAnAttackersServer_AreNeverFetchedAndReturn401()
    {
        using var attacker = new SlasKey();
        var url = _fixture.Attacker.Urls[0];
        SlasTokens.ServeJwks(_fixture.Attacker, attacker);

        // The attacker's own kid with every header key pointer, then SLAS's kid signed by the attacker's key.
        await AssertRefusedAsync(Token(signer: attacker, header: h =>
        {
            h["kid"] = attacker.Kid;
            h["jku"] = url + SlasTokens.JwksPath;
            h["x5u"] = url + "/cert.pem";
            h["jwk"] = attacker.Jwk();
        }));
        await AssertRefusedAsync(Token(signer: attacker, header: h =>
        {
            h["jku"] = url + SlasTokens.JwksPath;
            h["x5u"] = url + "/cert.pem";
            h["jwk"] = attacker.Jwk();
        }));
        await AssertRefusedAsync(Token(signer: attacker, header: h => h["jwk"] = Key.Jwk()));
    }

    [Fact]
    public async Task Login_AnotherTenantsIssuer_Returns401()
    {
        using var other = new SlasKey();
        await AssertRefusedAsync(Token(claims: c => c["iss"] = "slas/prod/other_002"));
        await AssertRefusedAsync(Token(claims: c => c["iss"] = "slas/dev/" + SlasTokens.Tenant));
        await AssertRefusedAsync(Token(claims: c => c["aud"] = "commercecloud/prod/other_002"));
        await AssertRefusedAsync(Token(claims: c => c["aud"] = new[] { "commercecloud/prod/other_002" }));
        await AssertRefusedAsync(Token(claims: c => c.Remove("aud")));
        await AssertRefusedAsync(Token(claims: c => c["sub"] = "cc-slas::other_002::scid:" + SlasTokens.ClientId + "::usid:x"));
    }

    [Fact]
    public async Task Login_AnotherSitesChid_Returns401()
    {
        await AssertRefusedAsync(Token(isb: SlasTokens.RegisteredIsb(SlasTokens.NewCustomerId(), site: "OtherSite")));
        await AssertRefusedAsync(Token(isb: SlasTokens.GuestIsb(site: "OtherSite")));
        await AssertRefusedAsync(Token(isb: "uido:slas::upn:Guest::uidn:Guest User::gcid:abc"));
    }

    [Fact]
    public async Task Login_UnlistedClientId_Returns401()
    {
        await AssertRefusedAsync(Token(claims: c => c["sub"] = $"cc-slas::{SlasTokens.Tenant}::scid:another-client::usid:{Guid.NewGuid()}"));
        await AssertRefusedAsync(Token(claims: c => c["sub"] = $"cc-slas::{SlasTokens.Tenant}::scid:{SlasTokens.ClientId}::scid:another-client::usid:x"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("%2e%2e")]
    [InlineData("ab?siteId=Other")]
    public async Task Login_RcidFailingTheIdentifierRule_Returns401(string rcid)
    {
        await AssertRefusedAsync(Token(isb: SlasTokens.RegisteredIsb(rcid)));
    }

    [Fact]
    public async Task Login_IsbWithARepeatedMember_Returns401()
    {
        await AssertRefusedAsync(Token(isb: $"uido:ecom::upn:a::rcid:abvictim::rcid:abother::chid:{SiteId}"));
        await AssertRefusedAsync(Token(isb: $"uido:slas::upn:Guest::chid:{SiteId}::chid:OtherSite"));
    }

    [Fact]
    public async Task Login_ExpiredSlasToken_Returns401()
    {
        await AssertRefusedAsync(Token(claims: c =>
        {
            c["iat"] = Now.AddMinutes(-40).ToUnixTimeSeconds();
            c["exp"] = Now.AddMinutes(-10).ToUnixTimeSeconds();
        }));
    }

    [Fact]
    public async Task Login_SlasTokenNotYetValid_Returns401()
    {
        await AssertRefusedAsync(Token(claims: c => c["nbf"] = Now.AddMinutes(5).ToUnixTimeSeconds()));
        await AssertRefusedAsync(Token(claims: c => c["iat"] = Now.AddMinutes(5).ToUnixTimeSeconds()));
        await AssertRefusedAsync(Token(claims: c => c["exp"] = Now.AddDays(30).ToUnixTimeSeconds()));
    }

    public static TheoryData<string> Mutations() => ["flip-first-bit", "flip-last-bit", "truncated", "extended", "der", "r-zero", "s-zero", "all-zero", "r-is-n", "s-is-n", "swapped"];

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task Login_MutatedSignature_Returns401(string mutation)
    {
        var rcid = SlasTokens.NewCustomerId();
        var token = SlasTokens.Registered(Key, rcid, Now);
        var signature = SlasTokens.SignatureOf(token);
        var n = SlasTokens.Order.ToByteArray(isUnsigned: true, isBigEndian: true);
        var mutated = mutation switch
        {
            "flip-first-bit" => Flip(signature, 0),
            "flip-last-bit" => Flip(signature, 63),
            "truncated" => signature[..63],
            "extended" => [.. signature, 0],
            "der" => Key.Sign(token[..token.LastIndexOf('.')], System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence),
            "r-zero" => [.. new byte[32], .. signature[32..]],
            "s-zero" => [.. signature[..32], .. new byte[32]],
            "all-zero" => new byte[64],
            "r-is-n" => [.. n, .. signature[32..]],
            "s-is-n" => [.. signature[..32], .. n],
            "swapped" => [.. signature[32..], .. signature[..32]],
            _ => throw new ArgumentOutOfRangeException(nameof(mutation)),
        };
        SlasTokens.ShopperCustomersHas(Stubs.Sfcc, token, rcid, "00000953", "victim953@example.com");

        await AssertRefusedAsync(SlasTokens.WithSignature(token, mutated));
    }

    /// <summary>
    /// ECDSA is malleable: (r, n - s) verifies wherever (r, s) does, and SLAS's signer does not normalise to low S, so
    /// refusing high S would refuse about half of SLAS's real tokens. The twin gives an attacker nothing: making it
    /// needs the shopper's token, which already logs in. It is the same shopper, with a signature check of its own.
    /// </summary>
    [Fact]
    public async Task Login_HighSTwinOfAValidToken_IsAcceptedAsTheSameShopper()
    {
        var token = SlasTokens.Guest(Key, Now);
        var signature = SlasTokens.SignatureOf(token);
        var s = new BigInteger(signature[32..], isUnsigned: true, isBigEndian: true);
        var twinS = (SlasTokens.Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        byte[] twin = [.. signature[..32], .. new byte[32 - twinS.Length], .. twinS];

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(SlasTokens.WithSignature(token, twin))).StatusCode);
    }

    [Fact]
    public async Task Login_SlasTokenWithCriticalHeader_Returns401()
    {
        await AssertRefusedAsync(Token(header: h => h["crit"] = new[] { "exp" }));
    }

    private static byte[] Flip(byte[] signature, int index)
    {
        var copy = (byte[])signature.Clone();
        copy[index] ^= index == 0 ? (byte)0x80 : (byte)0x01;
        return copy;
    }
}
