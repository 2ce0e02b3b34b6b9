namespace OmneoSfccBridge.Sandbox;

/// <summary>The storefront key the sandbox's signed storefront login takes (<c>GET /sandbox/storefront</c>).</summary>
/// <param name="KeyId">Sent as <c>X-Storefront-Key</c>.</param>
/// <param name="Secret">Keys the HMAC-SHA256 sent as <c>X-Storefront-Signature</c>.</param>
public sealed record SandboxStorefrontKey(string KeyId, string Secret);
