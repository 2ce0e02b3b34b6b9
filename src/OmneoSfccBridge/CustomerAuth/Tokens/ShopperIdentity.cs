using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>Who a verified shopper token belongs to.</summary>
/// <param name="Scheme">Which token kind vouched for it (<c>ocapi</c>; <c>slas</c> later).</param>
/// <param name="CustomerId">SFCC's customer_id (differs between a guest and the registered customer it becomes).</param>
/// <param name="Guest">Whether the token is a guest's.</param>
/// <param name="ExpiresAt">The token's <c>exp</c>: no verdict about it outlives this.</param>
/// <param name="Customer">The customer document, when SFCC was asked.</param>
internal sealed record ShopperIdentity(string Scheme, string CustomerId, bool Guest, DateTimeOffset ExpiresAt, SfccCustomer? Customer);

/// <summary>
/// The outcome of checking a token: an identity, or the reason (for logs only) it was refused, and whether an upstream
/// was asked for that verdict (only such verdicts are worth remembering).
/// </summary>
internal readonly record struct TokenCheck(ShopperIdentity? Identity, string? RejectReason, bool AskedUpstream = false)
{
    public static TokenCheck Accept(ShopperIdentity identity) => new(identity, null);

    /// <summary>Refused by the bridge's own checks, without any upstream call.</summary>
    public static TokenCheck Reject(string reason) => new(null, reason);

    /// <summary>Refused on the strength of an upstream's answer.</summary>
    public static TokenCheck RejectedByUpstream(string reason) => new(null, reason, AskedUpstream: true);
}

/// <summary>One kind of shopper token (OCAPI JWT now, SLAS next): recognises its tokens and validates them.</summary>
internal interface IShopperTokenScheme
{
    string Name { get; }

    /// <summary>Whether this scheme owns the token, judged from its unverified header and claims.</summary>
    bool Recognises(CompactJwt jwt);

    Task<TokenCheck> ValidateAsync(CompactJwt jwt, CancellationToken cancellationToken);
}
