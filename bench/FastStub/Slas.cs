using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

/// <summary>
/// SLAS as the bridge sees it: ES256 access tokens from an EC P-256 key made at start-up (kid <c>bench</c>), tenant
/// <c>bench_001</c>, client <c>bench-slas-client</c>, site <c>Bench</c>; registered customer i has <c>rcid</c> bc{i}.
/// </summary>
internal static class Slas
{
    public const string OrganizationId = "f_ecom_bench_001";
    private const string Tenant = "bench_001";
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static byte[] Jwks()
    {
        var q = Key.ExportParameters(false).Q;
        return JsonSerializer.SerializeToUtf8Bytes(new { keys = new[] { new { kty = "EC", crv = "P-256", use = "sig", kid = "bench", x = B64(q.X!), y = B64(q.Y!) } } });
    }

    /// <summary>A registered shopper's access token, as a PWA Kit storefront holds one.</summary>
    public static string Token(int customer)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = B64("""{"kid":"bench","typ":"jwt","alg":"ES256"}"""u8.ToArray());
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = $"commercecloud/prod/{Tenant}",
            ["sub"] = $"cc-slas::{Tenant}::scid:bench-slas-client::usid:{Guid.NewGuid()}",
            ["scp"] = "sfcc.shopper-myaccount sfcc.shopper-customers.login",
            ["isb"] = string.Create(CultureInfo.InvariantCulture, $"uido:ecom::upn:bench{customer}@example.com::uidn:Bench Customer{customer}::gcid:bg{customer:D8}::rcid:{StubState.CustomerId(customer)}::chid:Bench"),
            ["iss"] = $"slas/prod/{Tenant}",
            ["exp"] = now + 1800,
            ["iat"] = now,
            ["nbf"] = now,
        }));
        var signature = Key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256);
        return header + "." + payload + "." + B64(signature);
    }

    /// <summary>Customer i as the Shopper Customers API writes it (camelCase).</summary>
    public static byte[] Customer(int i)
    {
        var email = "bench" + i.ToString(CultureInfo.InvariantCulture) + "@example.com";
        var at = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["authType"] = "registered",
            ["customerId"] = StubState.CustomerId(i),
            ["customerNo"] = StubState.CustomerNo(i),
            ["login"] = email,
            ["email"] = email,
            ["firstName"] = "Bench",
            ["lastName"] = "Customer" + i.ToString(CultureInfo.InvariantCulture),
            ["creationDate"] = at,
            ["lastModified"] = at,
        });
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
