namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>One storefront signing key.</summary>
public sealed class StorefrontKey
{
    /// <summary>Sent as <c>X-Storefront-Key</c>; not a secret (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, 1 to 64).</summary>
    public string Id { get; set; } = "";

    /// <summary>The HMAC-SHA256 key, at least 32 bytes of UTF-8 (e.g. <c>openssl rand -hex 32</c>). Never logged.</summary>
    public string Secret { get; set; } = "";
}
