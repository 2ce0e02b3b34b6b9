using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>
/// OCAPI shopper JWTs. Their claims can be read but their signature cannot be checked offline (SFCC publishes no
/// key), so after the local checks the token's authenticity is confirmed by SFCC itself with a
/// <c>GET /customers/{id}</c> made with it, unless a verification key is configured (the sandbox's, say).
/// </summary>
internal sealed class OcapiTokenScheme : IShopperTokenScheme
{
    /// <summary>The scheme's name, as <see cref="ShopperIdentity.Scheme"/> and the login metrics carry it.</summary>
    public const string SchemeName = "ocapi";

    private readonly SfccClient _sfcc;
    private readonly TimeProvider _time;
    private readonly CustomerAuthOptions _auth;
    private readonly IReadOnlySet<string> _issuers;
    private readonly HashSet<string> _algorithms;
    private readonly TokenValidationParameters? _localValidation;
    private readonly JsonWebTokenHandler _handler = new();

    public OcapiTokenScheme(SfccClient sfcc, TimeProvider time, IOptions<CustomerAuthOptions> auth, IOptions<SfccOptions> sfccOptions)
    {
        _sfcc = sfcc;
        _time = time;
        _auth = auth.Value;
        _issuers = sfccOptions.Value.TokenIssuers;
        _algorithms = new HashSet<string>(_auth.OcapiAlgorithms.Where(a => !string.Equals(a, "none", StringComparison.OrdinalIgnoreCase)), StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(sfccOptions.Value.OcapiTokenSigningKey))
        {
            _localValidation = new TokenValidationParameters
            {
                IssuerSigningKeys = SigningKeyParser.Parse(sfccOptions.Value.OcapiTokenSigningKey),
                ValidAlgorithms = _algorithms,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                TryAllIssuerSigningKeys = true,

                // Issuer, lifetime and subject were checked by this class with the injected clock; audience OCAPI does not set.
                ValidateIssuer = false,
                ValidateAudience = false,
                ValidateLifetime = false,
                RequireExpirationTime = false,
                ClockSkew = TimeSpan.Zero,
            };
        }
    }

    public string Name => SchemeName;

    public bool Recognises(CompactJwt jwt) =>
        !(jwt.TryGetString("iss", out var iss) && iss.StartsWith("slas/", StringComparison.Ordinal));

    public async Task<TokenCheck> ValidateAsync(CompactJwt jwt, CancellationToken cancellationToken)
    {
        if (jwt.Algorithm is not { } alg || !_algorithms.Contains(alg))
        {
            return TokenCheck.Reject("algorithm not allowed");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var skew = _auth.ClockSkewSeconds;

        // Every NumericDate is range-checked before any arithmetic or conversion: a forged exp of year 9999 or 1e30 is
        // a refusal, never an overflow.
        if (jwt.TryGetSeconds("exp", out var exp) != ClaimSeconds.Valid)
        {
            return TokenCheck.Reject("exp missing or not a time");
        }

        if (exp + skew <= now)
        {
            return TokenCheck.Reject("expired");
        }

        if (exp - skew > now + _auth.MaxTokenLifetimeSeconds)
        {
            return TokenCheck.Reject("exp beyond the longest token lifetime");
        }

        switch (jwt.TryGetSeconds("iat", out var iat))
        {
            case ClaimSeconds.Invalid:
                return TokenCheck.Reject("iat not a time");
            case ClaimSeconds.Valid when iat - skew > now:
                return TokenCheck.Reject("issued in the future");
        }

        switch (jwt.TryGetSeconds("nbf", out var nbf))
        {
            case ClaimSeconds.Invalid:
                return TokenCheck.Reject("nbf not a time");
            case ClaimSeconds.Valid when nbf - skew > now:
                return TokenCheck.Reject("not valid yet");
        }

        var hasIssuer = jwt.TryGetString("iss", out var issuer);
        if (hasIssuer ? !_issuers.Contains(issuer) : _auth.RequireIssuer)
        {
            return TokenCheck.Reject("issuer not accepted");
        }

        if (!TryReadCustomerInfo(jwt, out var customerId, out var guest))
        {
            return TokenCheck.Reject("sub is not a customer_info document with a valid customer_id");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (_localValidation is not null)
        {
            var result = await _handler.ValidateTokenAsync(jwt.Raw, _localValidation);
            return result.IsValid
                ? TokenCheck.Accept(new ShopperIdentity(Name, customerId, guest, expiresAt, null))
                : TokenCheck.Reject("signature not valid");
        }

        var customer = await _sfcc.GetCustomerWithTokenAsync(customerId, jwt.Raw, cancellationToken);
        if (customer is null)
        {
            return TokenCheck.RejectedByUpstream("declined by SFCC");
        }

        // SFCC must name the customer the token claims: an answer without customer_id, or with another one, proves nothing.
        if (customer.CustomerId != customerId || customer.IsRegistered == guest)
        {
            return TokenCheck.RejectedByUpstream("SFCC's customer does not match the token");
        }

        return TokenCheck.Accept(new ShopperIdentity(Name, customerId, guest, expiresAt, customer));
    }

    private static bool TryReadCustomerInfo(CompactJwt jwt, out string customerId, out bool guest)
    {
        customerId = "";
        guest = false;
        if (!jwt.TryGetString("sub", out var sub) || sub.Length > 2048)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(sub, CompactJwt.JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("customer_info", out var info)
                || info.ValueKind != JsonValueKind.Object
                || !info.TryGetProperty("customer_id", out var id) || id.ValueKind != JsonValueKind.String
                || !info.TryGetProperty("guest", out var isGuest) || isGuest.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return false;
            }

            customerId = id.GetString()!;
            guest = isGuest.GetBoolean();
            // customer_id goes into the path of GET customers/{customer_id}: '..' there would be the Shop API root.
            return UpstreamIdentifier.IsValid(customerId);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
