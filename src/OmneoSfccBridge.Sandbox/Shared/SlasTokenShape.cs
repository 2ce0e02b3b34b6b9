using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OmneoSfccBridge.Sandbox.Shared;

/// <summary>
/// SLAS access tokens as SLAS issues them (header and claims as docs/upstreams.md shows them, ES256 over EC P-256), and the
/// JWK its JWKS lists: one shape for every simulation of SLAS, the sandbox's, the tests' stubs and the benchmarks'
/// in-memory stub (which compiles this file in; it depends on nothing but the BCL).
/// </summary>
public static class SlasTokenShape
{
    /// <summary>The scopes a PWA Kit shopper token carries.</summary>
    public const string ShopperScopes = "sfcc.shopper-myaccount sfcc.shopper-customers.login";

    /// <summary>The header of a token signed with the key <paramref name="kid"/> of <paramref name="tenant"/>.</summary>
    public static Dictionary<string, object> Header(string tenant, string kid) => new()
    {
        ["ver"] = "1.0",
        ["jku"] = $"slas/prod/{tenant}",
        ["kid"] = kid,
        ["typ"] = "jwt",
        ["clv"] = "J2.3.4",
        ["alg"] = "ES256",
    };

    /// <summary>Claims as SLAS issues them for <paramref name="isb"/>, valid from <paramref name="now"/> for 30 minutes.</summary>
    public static Dictionary<string, object> Claims(string tenant, string clientId, string isb, DateTimeOffset now, string scopes = ShopperScopes) => new()
    {
        ["aud"] = $"commercecloud/prod/{tenant}",
        ["sub"] = $"cc-slas::{tenant}::scid:{clientId}::usid:{Guid.NewGuid()}",
        ["scp"] = scopes,
        ["isb"] = isb,
        ["ctx"] = "slas",
        ["iss"] = $"slas/prod/{tenant}",
        ["ist"] = 1,
        ["dnt"] = "0",
        ["exp"] = now.AddMinutes(30).ToUnixTimeSeconds(),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["jti"] = "C2C" + Guid.NewGuid().ToString("N"),
    };

    /// <summary>The <c>isb</c> of a guest shopper on <paramref name="site"/>.</summary>
    public static string GuestIsb(string guestId, string site) => $"uido:slas::upn:Guest::uidn:Guest User::gcid:{guestId}::chid:{site}";

    /// <summary>The <c>isb</c> of a registered shopper: <c>rcid</c> is the SFCC customer_id the bridge reads the customer by.</summary>
    public static string RegisteredIsb(string login, string name, string guestId, string customerId, string site) =>
        $"uido:ecom::upn:{login}::uidn:{name}::gcid:{guestId}::rcid:{customerId}::chid:{site}";

    /// <summary><c>header.claims</c>, each JSON base64url-encoded: what the signature covers.</summary>
    public static string Unsigned(object header, object claims) =>
        Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));

    /// <summary>The token signed with <paramref name="key"/> (ES256: raw r||s).</summary>
    public static string Sign(ECDsa key, object header, object claims)
    {
        var input = Unsigned(header, claims);
        return input + "." + Base64Url(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    /// <summary>The public JWK of <paramref name="key"/>, as SLAS's JWKS lists it.</summary>
    public static Dictionary<string, object> Jwk(ECDsa key, string kid)
    {
        var q = key.ExportParameters(false).Q;
        return new() { ["kty"] = "EC", ["crv"] = "P-256", ["use"] = "sig", ["kid"] = kid, ["x"] = Base64Url(q.X!), ["y"] = Base64Url(q.Y!) };
    }

    public static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
