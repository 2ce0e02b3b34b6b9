using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OmneoSfccBridge.Sandbox.Shared;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// A SLAS signing key as the tenant holds it (EC P-256), making access tokens shaped as SLAS's (header and claims as
/// docs/upstreams.md shows them) and the broken ones an attacker would.
/// </summary>
public sealed class SlasKey : IDisposable
{
    public SlasKey(string? kid = null)
    {
        Kid = kid ?? Guid.NewGuid().ToString();
    }

    public string Kid { get; }

    public ECDsa Ecdsa { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The public JWK as SLAS's JWKS lists it.</summary>
    public Dictionary<string, object> Jwk() => SlasTokenShape.Jwk(Ecdsa, Kid);

    /// <summary>Raw r||s (IEEE P1363), as JWS ES256 requires.</summary>
    public byte[] Sign(string signingInput, DSASignatureFormat format = DSASignatureFormat.IeeeP1363FixedFieldConcatenation) =>
        Ecdsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, format);

    public void Dispose() => Ecdsa.Dispose();
}

public static class SlasTokens
{
    public const string OrganizationId = "f_ecom_test_001";
    public const string Tenant = "test_001";
    public const string ClientId = "test-slas-client";
    public const string JwksPath = "/shopper/auth/v1/organizations/" + OrganizationId + "/oauth2/jwks";
    public const string CustomersPath = "/customer/shopper-customers/v1/organizations/" + OrganizationId + "/customers/";

    /// <summary>P-256's group order n: s and n - s verify alike (ECDSA's malleability).</summary>
    public static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    /// <summary>The bridge settings that turn SLAS on against the SFCC stub.</summary>
    public static Dictionary<string, string?> Settings(UpstreamStubs stubs) => new()
    {
        ["Slas:OrganizationId"] = OrganizationId,
        ["Slas:ShortCode"] = "test0001",
        ["Slas:BaseUrl"] = stubs.Sfcc.Urls[0],
        ["Slas:ClientIds:0"] = ClientId,
    };

    public static string GuestIsb(string site = UpstreamStubs.SiteId) => $"uido:slas::upn:Guest::uidn:Guest User::gcid:abGuest{Guid.NewGuid():N}::chid:{site}";

    public static string RegisteredIsb(string rcid, string site = UpstreamStubs.SiteId) =>
        $"uido:ecom::upn:shopper@example.com::uidn:Sam Shopper::gcid:abGuest1::rcid:{rcid}::chid:{site}";

    /// <summary>A SLAS customer id (rcid), unique per call so tests never share a cached verdict or a link.</summary>
    public static string NewCustomerId() => "ab" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    /// <summary>The default header of a SLAS access token signed by <paramref name="key"/>.</summary>
    public static Dictionary<string, object> Header(SlasKey key) => SlasTokenShape.Header(Tenant, key.Kid);

    /// <summary>Claims as SLAS issues them for <paramref name="isb"/>, valid from <paramref name="now"/> for 30 minutes.</summary>
    public static Dictionary<string, object> Claims(string isb, DateTimeOffset now, string tenant = Tenant, string clientId = ClientId) =>
        SlasTokenShape.Claims(tenant, clientId, isb, now, SlasTokenShape.ShopperScopes + " sfcc.shopper-baskets-orders.rw");

    public static string Guest(SlasKey key, DateTimeOffset now) => Sign(key, Header(key), Claims(GuestIsb(), now));

    public static string Registered(SlasKey key, string rcid, DateTimeOffset now) => Sign(key, Header(key), Claims(RegisteredIsb(rcid), now));

    public static string Sign(SlasKey key, object header, object claims)
    {
        var input = Unsigned(header, claims);
        return input + "." + B64(key.Sign(input));
    }

    public static string Unsigned(object header, object claims) => SlasTokenShape.Unsigned(header, claims);

    public static string B64(byte[] bytes) => SlasTokenShape.Base64Url(bytes);

    /// <summary>The same token with its signature replaced.</summary>
    public static string WithSignature(string token, byte[] signature) => token[..token.LastIndexOf('.')] + "." + B64(signature);

    public static byte[] SignatureOf(string token) => System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1));

    /// <summary>SLAS serves these keys as its JWKS (replacing what it served before).</summary>
    public static void ServeJwks(WireMockServer sfcc, params SlasKey[] keys) =>
        sfcc.Given(Request.Create().WithPath(JwksPath).UsingGet())
            .AtPriority(5)
            .RespondWith(UpstreamStubs.Json(200, new { keys = keys.Select(k => k.Jwk()).ToArray() }));

    /// <summary>The JWKS endpoint answers 503, above any key set served.</summary>
    public static void JwksDown(WireMockServer sfcc) =>
        sfcc.Given(Request.Create().WithPath(JwksPath).UsingGet())
            .AtPriority(1)
            .RespondWith(UpstreamStubs.Json(503, new { title = "Service Unavailable" }));

    /// <summary>The Shopper Customers API answers this exact token for this customer with a SCAPI (camelCase) document.</summary>
    public static void ShopperCustomersHas(WireMockServer sfcc, string token, string rcid, string customerNo, string email, bool? emailVerified = null)
    {
        var document = new Dictionary<string, object>
        {
            ["authType"] = "registered",
            ["customerId"] = rcid,
            ["customerNo"] = customerNo,
            ["email"] = email,
            ["login"] = email,
            ["firstName"] = "Sam",
            ["lastName"] = "Shopper",
            ["creationDate"] = "2024-01-02T03:04:05.000Z",
            ["lastModified"] = "2024-01-02T03:04:05.000Z",
        };
        if (emailVerified is { } verified)
        {
            document[UpstreamStubs.EmailVerifiedAttribute] = verified;
        }

        sfcc.Given(Request.Create().WithPath(CustomersPath + rcid).UsingGet()
                .WithParam("siteId", UpstreamStubs.SiteId)
                .WithHeader("Authorization", "Bearer " + token))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(document)));
    }

    public static int JwksCalls(WireMockServer sfcc) => UpstreamStubs.Count(sfcc, JwksPath, "GET");

    /// <summary>
    /// What a login asked of SFCC's shopper APIs (Shopper Customers, OCAPI Shop API); not JWKS fetches, nor the Data
    /// API reads of the background profile refresh, which run on their own schedule.
    /// </summary>
    public static IReadOnlyList<string> ShopperCalls(WireMockServer sfcc) =>
    [
        .. sfcc.LogEntries
            .Where(e => e.RequestMessage.Path.StartsWith("/customer/", StringComparison.Ordinal) || e.RequestMessage.Path.StartsWith(UpstreamStubs.Shop, StringComparison.Ordinal))
            .Select(e => e.RequestMessage.Method + " " + e.RequestMessage.Path),
    ];
}
