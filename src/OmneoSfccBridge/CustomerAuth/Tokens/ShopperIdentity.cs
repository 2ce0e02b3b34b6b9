using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>Who a verified shopper token belongs to.</summary>
/// <param name="Scheme">Which token kind vouched for it (<c>ocapi</c>; <c>slas</c> later).</param>
/// <param name="CustomerId">SFCC's customer_id (differs between a guest and the registered customer it becomes).</param>
/// <param name="Guest">Whether the token is a guest's.</param>
/// <param name="ExpiresAt">The token's <c>exp</c>: no verdict about it outlives this.</param>
/// <param name="Customer">The customer document, when SFCC was asked.</param>
internal sealed record ShopperIdentity(string Scheme, string CustomerId, bool Guest, DateTimeOffset ExpiresAt, SfccCustomer? Customer);
