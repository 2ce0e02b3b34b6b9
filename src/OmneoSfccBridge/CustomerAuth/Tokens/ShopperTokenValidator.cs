using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>
/// Checks a shopper's SFCC token: size, shape, then the scheme that owns it. Verdicts are cached under a hash of
/// the token: an accepted one until the token's own <c>exp</c> and never past it, a refused one briefly, so a
/// repeated login costs no SFCC call either way.
/// </summary>
internal sealed partial class ShopperTokenValidator(
    IEnumerable<IShopperTokenScheme> schemes,
    [FromKeyedServices(ShopperTokenValidator.CacheKey)] IMemoryCache cache,
    TimeProvider time,
    IOptions<CustomerAuthOptions> options,
    ILogger<ShopperTokenValidator> logger)
{
    public const string CacheKey = "shopper-token-verdicts";

    private readonly IShopperTokenScheme[] _schemes = [.. schemes];

    public async Task<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (Encoding.UTF8.GetByteCount(token) > options.Value.MaxTokenBytes)
        {
            return Refuse(token, "oversized", remember: false);
        }

        var key = Fingerprint.Of(token);
        if (cache.TryGetValue(key, out TokenCheck cached))
        {
            if (cached.Identity is null || time.GetUtcNow() < cached.Identity.ExpiresAt)
            {
                return cached;
            }

            cache.Remove(key);
        }

        using var jwt = CompactJwt.TryRead(token, out var reason);
        if (jwt is null)
        {
            return Refuse(key, reason!, remember: false);
        }

        var scheme = Array.Find(_schemes, s => s.Recognises(jwt));
        if (scheme is null)
        {
            return Refuse(key, "no scheme recognises it", remember: true);
        }

        var check = await scheme.ValidateAsync(jwt, cancellationToken);
        if (check.Identity is null)
        {
            return Refuse(key, check.RejectReason ?? "refused", remember: true);
        }

        Remember(key, check);
        return check;
    }

    /// <summary>Caches an accepted verdict learnt elsewhere (a token SFCC just issued to a credentials login).</summary>
    public void Remember(string token, ShopperIdentity identity) => Remember(Fingerprint.Of(token), TokenCheck.Accept(identity));

    private void Remember(string key, TokenCheck check)
    {
        var expiresAt = check.Identity!.ExpiresAt;
        if (expiresAt <= time.GetUtcNow())
        {
            return;
        }

        cache.Set(key, check, new MemoryCacheEntryOptions { AbsoluteExpiration = expiresAt, Size = 1 });
    }

    private TokenCheck Refuse(string keyOrToken, string reason, bool remember)
    {
        var check = TokenCheck.Reject(reason);
        var seconds = options.Value.RejectedTokenCacheSeconds;
        if (remember && seconds > 0)
        {
            cache.Set(keyOrToken, check, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds), Size = 1 });
        }

        LogRefused(logger, reason);
        return check;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Shopper token refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

/// <summary>Names a secret in logs and cache keys without revealing it.</summary>
internal static class Fingerprint
{
    /// <summary>SHA-256 of the value, hex; the cache key of a token.</summary>
    public static string Of(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The first 8 hex digits of the hash: enough to correlate log lines, useless to an attacker.</summary>
    public static string Short(string secret) => Of(secret)[..8];
}
