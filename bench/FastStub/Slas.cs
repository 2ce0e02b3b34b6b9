using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using OmneoSfccBridge.Sandbox.Shared;

/// <summary>
/// SLAS as the bridge sees it: ES256 access tokens from an EC P-256 key made at start-up (kid <c>bench</c>), tenant
/// <c>bench_001</c>, client <c>bench-slas-client</c>, site <c>Bench</c>; registered customer i has <c>rcid</c> bc{i}.
/// </summary>
internal static class Slas
{
    public const string OrganizationId = "f_ecom_bench_001";
    private const string Tenant = "bench_001";
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static byte[] Jwks() => JsonSerializer.SerializeToUtf8Bytes(new { keys = new[] { SlasTokenShape.Jwk(Key, "bench") } });

    /// <summary>A registered shopper's access token, as a PWA Kit storefront holds one (shaped as the sandbox's and the tests').</summary>
    public static string Token(int customer) => SlasTokenShape.Sign(
        Key,
        SlasTokenShape.Header(Tenant, "bench"),
        SlasTokenShape.Claims(
            Tenant,
            "bench-slas-client",
            SlasTokenShape.RegisteredIsb(
                string.Create(CultureInfo.InvariantCulture, $"bench{customer}@example.com"),
                string.Create(CultureInfo.InvariantCulture, $"Bench Customer{customer}"),
                string.Create(CultureInfo.InvariantCulture, $"bg{customer:D8}"),
                StubState.CustomerId(customer),
                "Bench"),
            DateTimeOffset.UtcNow));

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
}
