namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>A signed request that passed every local check.</summary>
internal sealed record VerifiedStorefrontLogin(string KeyId, string CustomerNo);
