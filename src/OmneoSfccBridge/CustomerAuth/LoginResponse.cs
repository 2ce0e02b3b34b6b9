namespace OmneoSfccBridge.CustomerAuth;

/// <summary>The body of a successful login.</summary>
/// <param name="Token">The Omneo ID token, for the Shapes SDK or direct calls to Omneo's ID API.</param>
/// <param name="Expiry">When <paramref name="Token"/> expires (UTC).</param>
/// <param name="ProfileId">The shopper's Omneo profile; null for a guest.</param>
/// <param name="CustomerNo">The shopper's SFCC customer number; null for a guest.</param>
/// <param name="Guest">Whether the token is anonymous (a guest shopper).</param>
public sealed record LoginResponse(string Token, DateTime Expiry, string? ProfileId, string? CustomerNo, bool Guest);
