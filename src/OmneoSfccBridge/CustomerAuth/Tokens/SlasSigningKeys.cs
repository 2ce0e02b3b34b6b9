using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>
/// The tenant's SLAS signing keys, fetched from its JWKS and kept in memory. Only the configured JWKS URL is ever
/// fetched (never a URL or key a token names). An unknown <c>kid</c> refetches, but at most once a minute whatever
/// the traffic: SLAS serves 25 JWKS calls a minute per tenant, and a flood of made-up kids must not spend them. A
/// failed fetch keeps the keys already held, so logins with a cached key go on while the JWKS endpoint is down.
/// </summary>
internal sealed partial class SlasSigningKeys(SlasClient slas, TimeProvider time, IOptions<SlasOptions> options, ILogger<SlasSigningKeys> logger)
{
    /// <summary>Shortest time between two JWKS fetches.</summary>
    public static readonly TimeSpan MinRefetchInterval = TimeSpan.FromMinutes(1);

    private const int MaxKeys = 16;
    private const int MaxKidLength = 128;

    private readonly SemaphoreSlim _fetchGate = new(1, 1);
    private volatile KeySet? _keys;
    private DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;
    private bool _lastAttemptFailed;

    /// <summary>
    /// The key for <paramref name="kid"/>, or null when the tenant has no such key (after at most one refetch).
    /// Throws an <see cref="UpstreamException"/> (a 503) when no key can be known: the JWKS never loaded, or the
    /// last fetch failed and the kid is not among the keys held.
    /// </summary>
    public async Task<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null && keys.Keys.TryGetValue(kid, out var known) && !IsStale(keys))
        {
            return known;
        }

        await _fetchGate.WaitAsync(cancellationToken);
        try
        {
            keys = _keys;
            var hit = keys is not null && keys.Keys.ContainsKey(kid);
            if ((!hit || IsStale(keys!)) && time.GetUtcNow() - _lastAttempt >= MinRefetchInterval)
            {
                keys = await FetchAsync() ?? keys;
            }

            if (keys is not null && keys.Keys.TryGetValue(kid, out var key))
            {
                return key;
            }

            if (keys is null || _lastAttemptFailed)
            {
                var retryAfter = _lastAttempt + MinRefetchInterval - time.GetUtcNow();
                throw new UpstreamException(SlasClient.Name, UpstreamFailure.Unavailable, "no usable JWKS key", retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
            }

            return null;
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    private bool IsStale(KeySet keys) => time.GetUtcNow() - keys.FetchedAt >= TimeSpan.FromMinutes(options.Value.JwksRefreshMinutes);

    private async Task<KeySet?> FetchAsync()
    {
        _lastAttempt = time.GetUtcNow();
        try
        {
            // Not the waiting request's token: a shopper who disconnects mid-fetch must not leave the refetch "attempted"
            // without a result for a minute. The upstream's own time budget bounds the call.
            var document = await slas.GetJwksAsync(CancellationToken.None);
            var parsed = Parse(document, out var skipped);
            if (parsed.Count == 0)
            {
                throw new UpstreamException(SlasClient.Name, UpstreamFailure.BadResponse, "JWKS holds no usable ES256 key");
            }

            var keys = new KeySet(parsed, time.GetUtcNow());
            _keys = keys;
            _lastAttemptFailed = false;
            LogFetched(logger, parsed.Count, skipped);
            return keys;
        }
        catch (UpstreamException ex)
        {
            _lastAttemptFailed = true;
            LogFetchFailed(logger, ex.Failure, ex.Reason, _keys?.Keys.Count ?? 0);
            return null;
        }
    }

    /// <summary>
    /// The P-256 public keys of a JWKS, by kid. Anything else is skipped: other key types or curves, private or
    /// symmetric keys, keys for another use or algorithm, and every key whose kid appears twice (which one would be meant?).
    /// </summary>
    internal static Dictionary<string, SecurityKey> Parse(string document, out int skipped)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(document);
        }
        catch (ArgumentException ex)
        {
            throw new UpstreamException(SlasClient.Name, UpstreamFailure.BadResponse, "JWKS is not a JSON Web Key Set", inner: ex);
        }

        var usable = set.Keys
            .Where(k => k.Kty == "EC" && k.Crv == "P-256" && !k.HasPrivateKey
                && k.Use is null or "sig" && k.Alg is null or "ES256"
                && k.Kid is { Length: > 0 and <= MaxKidLength })
            .ToList();
        var duplicates = usable.GroupBy(k => k.Kid, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var keys = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
        foreach (var jwk in usable.Where(k => !duplicates.Contains(k.Kid)).Take(MaxKeys))
        {
            if (ToKey(jwk) is { } key)
            {
                keys[jwk.Kid] = key;
            }
        }

        skipped = set.Keys.Count - keys.Count;
        return keys;
    }

    /// <summary>An ECDsa key from x and y; importing checks that the point is on the curve.</summary>
    private static ECDsaSecurityKey? ToKey(JsonWebKey jwk)
    {
        try
        {
            var x = Base64UrlEncoder.DecodeBytes(jwk.X);
            var y = Base64UrlEncoder.DecodeBytes(jwk.Y);
            if (x.Length != 32 || y.Length != 32)
            {
                return null;
            }

            var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            return new ECDsaSecurityKey(ecdsa) { KeyId = jwk.Kid };
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "SLAS JWKS fetched: {Keys} usable keys, {Skipped} skipped")]
    private static partial void LogFetched(ILogger logger, int keys, int skipped);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "SLAS JWKS fetch failed ({Failure}: {Reason}); keeping {Keys} cached keys")]
    private static partial void LogFetchFailed(ILogger logger, UpstreamFailure failure, string reason, int keys);

    private sealed record KeySet(IReadOnlyDictionary<string, SecurityKey> Keys, DateTimeOffset FetchedAt);
}
