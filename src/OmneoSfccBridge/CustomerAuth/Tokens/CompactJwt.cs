using System.Buffers.Text;
using System.Text.Json;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>
/// A compact JWS split and decoded, nothing trusted yet: three base64url parts, JSON objects for header and payload
/// without duplicate member names, a non-empty signature. Reading it is the first gate every token passes before any
/// scheme looks at it.
/// </summary>
internal sealed class CompactJwt : IDisposable
{
    /// <summary>
    /// How every part of a token is parsed. Duplicate member names are refused: System.Text.Json would otherwise keep
    /// one of them silently, and a token meaning one thing to the bridge and another to SFCC is a forgery.
    /// </summary>
    public static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 8, AllowDuplicateProperties = false };

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly JsonDocument _header;
    private readonly JsonDocument _payload;

    private CompactJwt(string raw, JsonDocument header, JsonDocument payload)
    {
        Raw = raw;
        _header = header;
        _payload = payload;
    }

    public string Raw { get; }

    public JsonElement Header => _header.RootElement;

    public JsonElement Payload => _payload.RootElement;

    public string? Algorithm => Header.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String ? alg.GetString() : null;

    public static CompactJwt? TryRead(string token, out string? reason)
    {
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || token.IndexOf('.', second + 1) >= 0)
        {
            reason = "not a three-part compact JWS";
            return null;
        }

        if (second == token.Length - 1)
        {
            reason = "no signature";
            return null;
        }

        var header = Decode(token.AsSpan(0, first));
        var payload = header is null ? null : Decode(token.AsSpan(first + 1, second - first - 1));
        if (header is null || payload is null || !Base64Url.IsValid(token.AsSpan(second + 1)))
        {
            header?.Dispose();
            payload?.Dispose();
            reason = "a part is not base64url JSON";
            return null;
        }

        if (header.RootElement.ValueKind != JsonValueKind.Object || payload.RootElement.ValueKind != JsonValueKind.Object)
        {
            header.Dispose();
            payload.Dispose();
            reason = "header or payload is not a JSON object";
            return null;
        }

        reason = null;
        return new CompactJwt(token, header, payload);
    }

    public bool TryGetString(string claim, out string value)
    {
        if (Payload.TryGetProperty(claim, out var element) && element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            return true;
        }

        value = "";
        return false;
    }

    /// <summary>Reads a NumericDate claim; only <see cref="ClaimSeconds.Valid"/> sets <paramref name="seconds"/>.</summary>
    public ClaimSeconds TryGetSeconds(string claim, out long seconds)
    {
        seconds = 0;
        if (!Payload.TryGetProperty(claim, out var element))
        {
            return ClaimSeconds.Absent;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value) || value < 0 || value > MaxUnixSeconds)
        {
            return ClaimSeconds.Invalid;
        }

        seconds = value;
        return ClaimSeconds.Valid;
    }

    public void Dispose()
    {
        _header.Dispose();
        _payload.Dispose();
    }

    private static JsonDocument? Decode(ReadOnlySpan<char> part)
    {
        if (!Base64Url.IsValid(part, out var length) || length == 0)
        {
            return null;
        }

        var bytes = new byte[length];
        if (!Base64Url.TryDecodeFromChars(part, bytes, out var written))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes.AsMemory(0, written), JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
