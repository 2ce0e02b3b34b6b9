using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Upstreams;

namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>
/// Checks a storefront login's headers and raw body: the key by id, the HMAC-SHA256 of the exact bytes received
/// (compared in constant time), exactly the members <c>customer_no</c> (a string passing <see cref="UpstreamIdentifier"/>)
/// and <c>timestamp</c> (whole Unix seconds within <see cref="StorefrontOptions.MaxClockSkewSeconds"/> of now).
/// </summary>
internal sealed class StorefrontRequestVerifier(IOptions<StorefrontOptions> options, TimeProvider time)
{
    public const string KeyHeader = "X-Storefront-Key";
    public const string SignatureHeader = "X-Storefront-Signature";

    /// <summary>Largest body accepted, in bytes; a real one is under 60.</summary>
    public const int MaxBodyBytes = 1024;

    private const string CustomerNoMember = "customer_no";
    private const string TimestampMember = "timestamp";

    // An unknown key id costs the same HMAC as a known one, so timing does not tell which ids exist.
    private static readonly byte[] DecoyKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The body as one JSON document, or null when it is not well-formed JSON (a 400, not a 401).</summary>
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public (VerifiedStorefrontLogin? Login, StorefrontRefusal Refusal, string? KeyId) Verify(string? keyId, string? signature, ReadOnlySpan<byte> body, JsonElement document)
    {
        var key = options.Value.Keys.FirstOrDefault(k => string.Equals(k.Id, keyId, StringComparison.Ordinal));
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key is null ? DecoyKey : Encoding.UTF8.GetBytes(key.Secret), body, expected);
        if (key is null)
        {
            return (null, StorefrontRefusal.UnknownKey, null);
        }

        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!TryDecodeHex(signature, presented) || !CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            return (null, StorefrontRefusal.BadSignature, key.Id);
        }

        if (!TryReadMembers(document, out var customerNo, out var timestamp))
        {
            return (null, StorefrontRefusal.NotTheTwoMembers, key.Id);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var skew = options.Value.MaxClockSkewSeconds;
        if (timestamp < now - skew || timestamp > now + skew)
        {
            return (null, StorefrontRefusal.StaleTimestamp, key.Id);
        }

        if (!UpstreamIdentifier.IsValid(customerNo))
        {
            return (null, StorefrontRefusal.UnsafeCustomerNo, key.Id);
        }

        return (new VerifiedStorefrontLogin(key.Id, customerNo), StorefrontRefusal.None, key.Id);
    }

    /// <summary>Exactly 64 hex digits (the issue asks for lowercase; uppercase decodes to the same bytes and proves the same).</summary>
    private static bool TryDecodeHex(string? value, Span<byte> into) =>
        value is { Length: HMACSHA256.HashSizeInBytes * 2 }
        && Convert.FromHexString(value, into, out var consumed, out var written) == System.Buffers.OperationStatus.Done
        && consumed == value.Length
        && written == into.Length;

    /// <summary>An object of exactly two distinct members: <c>customer_no</c> (string) and <c>timestamp</c> (integer).</summary>
    private static bool TryReadMembers(JsonElement document, out string? customerNo, out long timestamp)
    {
        customerNo = null;
        timestamp = 0;
        var sawTimestamp = false;
        if (document.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var member in document.EnumerateObject())
        {
            if (member.NameEquals(CustomerNoMember) && customerNo is null && member.Value.ValueKind == JsonValueKind.String)
            {
                customerNo = member.Value.GetString();
            }
            else if (member.NameEquals(TimestampMember) && !sawTimestamp && member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt64(out timestamp))
            {
                sawTimestamp = true;
            }
            else
            {
                // Anything else: a third member, a duplicate (never read two ways), a wrong type, a fractional time.
                return false;
            }
        }

        return customerNo is not null && sawTimestamp;
    }
}
