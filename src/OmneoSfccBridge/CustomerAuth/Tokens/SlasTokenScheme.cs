using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>
/// SLAS shopper access tokens (PWA Kit, Composable Storefront, any SCAPI client), recognised by an <c>iss</c> starting
/// <c>slas/</c>. Verified offline: claims first (tenant, site, client, times, <c>isb</c>), then the ES256 signature
/// with the tenant's key named by <c>kid</c>. The algorithm is pinned and the key comes only from the configured
/// JWKS: <c>jku</c>, <c>jwk</c>, <c>x5u</c> and <c>x5c</c> in the header are never read. A verified token names the
/// shopper: a guest, or a registered customer by <c>rcid</c> (SFCC's customer_id).
/// </summary>
internal sealed partial class SlasTokenScheme : IShopperTokenScheme
{
    public const string SchemeName = "slas";

    private const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    private readonly SlasSigningKeys _keys;
    private readonly TimeProvider _time;
    private readonly CustomerAuthOptions _auth;
    private readonly SlasOptions _slas;
    private readonly string _siteId;
    private readonly HashSet<string> _clientIds;
    private readonly ILogger<SlasTokenScheme> _logger;
    private readonly JsonWebTokenHandler _handler;

    public SlasTokenScheme(
        SlasSigningKeys keys,
        TimeProvider time,
        IOptions<CustomerAuthOptions> auth,
        IOptions<SlasOptions> slas,
        IOptions<SfccOptions> sfcc,
        ILogger<SlasTokenScheme> logger)
    {
        _keys = keys;
        _time = time;
        _auth = auth.Value;
        _slas = slas.Value;
        _siteId = sfcc.Value.SiteId;
        _clientIds = new HashSet<string>(_slas.ClientIds, StringComparer.Ordinal);
        _logger = logger;
        _handler = new JsonWebTokenHandler { MaximumTokenSizeInBytes = _auth.MaxTokenBytes };
    }

    public string Name => SchemeName;

    public bool Recognises(CompactJwt jwt) =>
        _slas.Enabled && jwt.TryGetString("iss", out var iss) && iss.StartsWith("slas/", StringComparison.Ordinal);

    public async Task<TokenCheck> ValidateAsync(CompactJwt jwt, CancellationToken cancellationToken)
    {
        if (!string.Equals(jwt.Algorithm, Algorithm, StringComparison.Ordinal))
        {
            return TokenCheck.Reject("SLAS algorithm not ES256");
        }

        if (jwt.Header.TryGetProperty("crit", out _))
        {
            return TokenCheck.Reject("SLAS header names critical extensions");
        }

        if (!jwt.Header.TryGetProperty("kid", out var kidElement) || kidElement.ValueKind != JsonValueKind.String
            || kidElement.GetString() is not { Length: > 0 and <= 128 } kid)
        {
            return TokenCheck.Reject("SLAS token without a usable kid");
        }

        if (CheckTimes(jwt) is { } timeProblem)
        {
            return TokenCheck.Reject(timeProblem);
        }

        if (!jwt.TryGetString("iss", out var iss) || iss != _slas.Issuer || !HasAudience(jwt, _slas.Audience))
        {
            return TokenCheck.Reject("SLAS token of another tenant");
        }

        if (!TryReadClient(jwt, out var clientId))
        {
            return TokenCheck.Reject("SLAS sub is not this tenant's");
        }

        if (_clientIds.Count > 0 && !_clientIds.Contains(clientId))
        {
            return TokenCheck.Reject("SLAS client not accepted");
        }

        if (!jwt.TryGetString("isb", out var isb) || SlasSubject.TryParse(isb) is not { } subject)
        {
            return TokenCheck.Reject("SLAS isb unreadable");
        }

        if (subject.SiteId != _siteId)
        {
            return TokenCheck.Reject("SLAS token of another site");
        }

        if (!subject.Guest && !UpstreamIdentifier.IsValid(subject.CustomerId))
        {
            // rcid goes into the Shopper Customers path.
            return TokenCheck.Reject("SLAS rcid not a safe identifier");
        }

        // Only now, with a token that would be accepted if genuine, is a key looked up (and perhaps the JWKS fetched).
        var key = await _keys.FindAsync(kid, cancellationToken);
        if (key is null)
        {
            return TokenCheck.Reject("SLAS kid unknown");
        }

        var result = await _handler.ValidateTokenAsync(jwt.Raw, SignatureOnly(key));
        if (!result.IsValid)
        {
            return TokenCheck.Reject("SLAS signature not valid");
        }

        LogVerified(_logger, Fingerprint.Short(jwt.Raw), subject.Guest);
        jwt.TryGetSeconds("exp", out var exp);
        return TokenCheck.Accept(new ShopperIdentity(Name, subject.CustomerId, subject.Guest, DateTimeOffset.FromUnixTimeSeconds(exp), null));
    }

    /// <summary>
    /// Signature only, with this one key and ES256 alone: the claims were checked above with the injected clock and
    /// the duplicate-refusing parser. No key resolver and no trying of other keys, so nothing in the header picks a key.
    /// </summary>
    private static TokenValidationParameters SignatureOnly(SecurityKey key) => new()
    {
        IssuerSigningKey = key,
        ValidAlgorithms = [Algorithm],
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = false,
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = false,
        RequireExpirationTime = false,
        ClockSkew = TimeSpan.Zero,
    };

    private string? CheckTimes(CompactJwt jwt)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var skew = _auth.ClockSkewSeconds;
        if (jwt.TryGetSeconds("exp", out var exp) != ClaimSeconds.Valid)
        {
            return "SLAS exp missing or not a time";
        }

        if (exp + skew <= now)
        {
            return "SLAS token expired";
        }

        if (exp - skew > now + _auth.MaxTokenLifetimeSeconds)
        {
            return "SLAS exp beyond the longest token lifetime";
        }

        if (jwt.TryGetSeconds("iat", out var iat) != ClaimSeconds.Valid || iat - skew > now)
        {
            return "SLAS iat missing, not a time or in the future";
        }

        return jwt.TryGetSeconds("nbf", out var nbf) switch
        {
            ClaimSeconds.Invalid => "SLAS nbf not a time",
            ClaimSeconds.Valid when nbf - skew > now => "SLAS token not valid yet",
            _ => null,
        };
    }

    private static bool HasAudience(CompactJwt jwt, string audience)
    {
        if (!jwt.Payload.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == audience,
            JsonValueKind.Array => aud.GetArrayLength() is > 0 and <= 8 && aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == audience),
            _ => false,
        };
    }

    /// <summary><c>sub</c> is <c>cc-slas::{tenant}::scid:{client id}::usid:{uuid}</c>; the tenant must be ours.</summary>
    private bool TryReadClient(CompactJwt jwt, out string clientId)
    {
        clientId = "";
        if (!jwt.TryGetString("sub", out var sub) || sub.Length > 512)
        {
            return false;
        }

        var parts = sub.Split("::");
        if (parts.Length < 3 || parts[0] != "cc-slas" || parts[1] != _slas.Tenant)
        {
            return false;
        }

        var scid = parts.Where(p => p.StartsWith("scid:", StringComparison.Ordinal)).ToList();
        if (scid.Count != 1 || scid[0].Length == "scid:".Length)
        {
            return false;
        }

        clientId = scid[0]["scid:".Length..];
        return true;
    }

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "SLAS token {TokenFingerprint} verified (guest: {Guest})")]
    private static partial void LogVerified(ILogger logger, string tokenFingerprint, bool guest);
}
