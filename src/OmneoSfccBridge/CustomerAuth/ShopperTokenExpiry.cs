using OmneoSfccBridge.CustomerAuth.Tokens;

namespace OmneoSfccBridge.CustomerAuth;

/// <summary>Reads <c>exp</c> of a token SFCC handed us directly (trusted by where it came from, not by its signature).</summary>
internal static class ShopperTokenExpiry
{
    public static DateTimeOffset? TryRead(string token)
    {
        using var jwt = CompactJwt.TryRead(token, out _);
        return jwt is not null && jwt.TryGetSeconds("exp", out var exp) == ClaimSeconds.Valid ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;
    }
}
