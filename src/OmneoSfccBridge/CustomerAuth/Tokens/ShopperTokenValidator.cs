using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>
/// Checks a shopper's SFCC token: size, shape, then the scheme that owns it. Verdicts are cached under a hash of the
/// token, so a repeated login costs no SFCC call: an accepted one for at most <c>MaxVerdictSeconds</c> and never past
/// the token's own <c>exp</c> (a shopper SFCC has since logged out or disabled is asked about again within minutes), a
/// refused one briefly. Only verdicts an upstream gave are cached: a token the bridge refuses on its own costs nothing
/// to refuse again, and caching those would let anyone fill the cache with made-up tokens.
/// </summary>
internal sealed partial class ShopperTokenValidator(
    IEnumerable<IShopperTokenScheme> schemes,
    [FromKeyedServices(ShopperTokenValidator.CacheKey)] IMemoryCache cache,
    TimeProvider time,
    IOptions<CustomerAuthOptions> options,
    Observability.BridgeMetrics metrics,
    ILogger<ShopperTokenValidator> logger)
{
    public const string CacheKey = "shopper-token-verdicts";

    private readonly IShopperTokenScheme[] _schemes = [.. schemes];

    /// <summary>How many verdicts the cache holds now (for tests and diagnostics).</summary>
    internal int CachedVerdicts => cache is MemoryCache memory ? memory.Count : -1;

    public ValueTask<TokenCheck> ValidateAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken) => ValidateAsync(token, null, cancellationToken);

    /// <summary>As <see cref="ValidateAsync(ReadOnlyMemory{char}, CancellationToken)"/>, accepting only tokens of <paramref name="onlyScheme"/> (when set).</summary>
    public ValueTask<TokenCheck> ValidateAsync(ReadOnlyMemory<char> token, string? onlyScheme, CancellationToken cancellationToken)
    {
        if (Encoding.UTF8.GetByteCount(token.Span) > options.Value.MaxTokenBytes)
        {
            return new(Refuse("oversized"));
        }

        // A cached verdict (every warm login) is answered without an async state machine or a task.
        var key = Fingerprint.Of(token.Span);
        if (cache.TryGetValue(key, out Verdict? cached))
        {
            // The cache's own clock is the machine's; the verdict's lifetime is judged by the injected one.
            if (time.GetUtcNow() < cached!.Until)
            {
                metrics.VerdictCache(hit: true);
                return new(onlyScheme is null || cached.Check.Identity?.Scheme is null || cached.Check.Identity.Scheme == onlyScheme
                    ? cached.Check
                    : Refuse($"not a {onlyScheme} token"));
            }

            cache.Remove(key);
        }

        metrics.VerdictCache(hit: false);
        return new(ValidateUncachedAsync(token.ToString(), key, onlyScheme, cancellationToken));
    }

    private async Task<TokenCheck> ValidateUncachedAsync(string token, string key, string? onlyScheme, CancellationToken cancellationToken)
    {
        using var jwt = CompactJwt.TryRead(token, out var reason);
        if (jwt is null)
        {
            return Refuse(reason!);
        }

        var scheme = Array.Find(_schemes, s => (onlyScheme is null || s.Name == onlyScheme) && s.Recognises(jwt));
        if (scheme is null)
        {
            return Refuse("no scheme recognises it");
        }

        var check = await scheme.ValidateAsync(jwt, cancellationToken);
        if (check.Identity is null)
        {
            if (check.AskedUpstream)
            {
                var seconds = options.Value.RejectedTokenCacheSeconds;
                Store(key, check, time.GetUtcNow().AddSeconds(seconds));
            }

            return Refuse(check.RejectReason ?? "refused");
        }

        Remember(key, check);
        return check;
    }

    /// <summary>
    /// The name of the scheme that would judge <paramref name="token"/> (<c>ocapi</c>, <c>slas</c>), or null for a token
    /// no scheme recognises: the kind a refused Bearer login is counted under.
    /// </summary>
    public string? SchemeOf(string token)
    {
        if (Encoding.UTF8.GetByteCount(token) > options.Value.MaxTokenBytes)
        {
            return null;
        }

        using var jwt = CompactJwt.TryRead(token, out _);
        return jwt is null ? null : Array.Find(_schemes, s => s.Recognises(jwt))?.Name;
    }

    /// <summary>Caches an accepted verdict learnt elsewhere (a token SFCC just issued to a credentials login).</summary>
    public void Remember(string token, ShopperIdentity identity) => Remember(Fingerprint.Of(token), TokenCheck.Accept(identity));

    private void Remember(string key, TokenCheck check)
    {
        var until = time.GetUtcNow().AddSeconds(options.Value.MaxVerdictSeconds);
        Store(key, check, until < check.Identity!.ExpiresAt ? until : check.Identity.ExpiresAt);
    }

    private void Store(string key, TokenCheck check, DateTimeOffset until)
    {
        var lifetime = until - time.GetUtcNow();
        if (lifetime > TimeSpan.Zero)
        {
            cache.Set(key, new Verdict(check, until), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = 1 });
        }
    }

    private TokenCheck Refuse(string reason)
    {
        LogRefused(logger, reason);
        return TokenCheck.Reject(reason);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Shopper token refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    private sealed record Verdict(TokenCheck Check, DateTimeOffset Until);
}
