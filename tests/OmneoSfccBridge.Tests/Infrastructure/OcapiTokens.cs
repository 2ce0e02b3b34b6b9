using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>Makes OCAPI-shaped shopper JWTs as SFCC sends them, and the broken ones an attacker would.</summary>
public static class OcapiTokens
{
    public const string ClientId = "test-ocapi-client";

    private static readonly byte[] SfccSecret = RandomNumberGenerator.GetBytes(32);

    public static string Registered(string customerId, DateTimeOffset now, string? issuer = ClientId) =>
        Make(customerId, guest: false, now, issuer: issuer);

    public static string Guest(string customerId, DateTimeOffset now) => Make(customerId, guest: true, now);

    /// <summary>An HS256 token signed with a secret only "SFCC" knows, like real OCAPI tokens.</summary>
    public static string Make(
        string customerId,
        bool guest,
        DateTimeOffset now,
        TimeSpan? lifetime = null,
        string? issuer = ClientId,
        string alg = "HS256",
        string? sub = null,
        DateTimeOffset? issuedAt = null)
    {
        var header = Encode($$"""{"_v":"1","alg":"{{alg}}","typ":"JWT"}""");
        var claims = new Dictionary<string, object>
        {
            ["_v"] = "1",
            ["exp"] = (now + (lifetime ?? TimeSpan.FromMinutes(30))).ToUnixTimeSeconds(),
            ["iat"] = (issuedAt ?? now).ToUnixTimeSeconds(),
            ["sub"] = sub ?? JsonSerializer.Serialize(new { _v = "1", customer_info = new { customer_id = customerId, guest, visit_id = "cd3f644e75d157e8c2b00239f6" } }),
        };
        if (issuer is not null)
        {
            claims["iss"] = issuer;
        }

        var payload = Encode(JsonSerializer.Serialize(claims));
        var signature = alg == "none" ? "" : System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(SfccSecret, Encoding.ASCII.GetBytes(header + "." + payload)));
        return $"{header}.{payload}.{signature}";
    }

    public static string Encode(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>A customer id in OCAPI's style, unique per call so tests never share a cached verdict.</summary>
    public static string NewCustomerId() => "bc" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
}
