namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>
/// The signed storefront login (<c>POST /login/storefront</c>): the keys a storefront's server side signs with. With no
/// key the endpoint is off (404).
/// </summary>
public sealed class StorefrontOptions
{
    public const string SectionName = "Storefront";

    /// <summary>Smallest secret accepted, in bytes (UTF-8): as long as the HMAC-SHA256 output.</summary>
    public const int MinSecretBytes = 32;

    /// <summary>
    /// The live keys. Several may be live at once, so a key is rotated without downtime: add the new one, move the
    /// storefront to it, then remove the old one.
    /// </summary>
    public List<StorefrontKey> Keys { get; set; } = [];

    /// <summary>How far a request's <c>timestamp</c> may be from the bridge's clock, either way, in seconds (5 to 3600).</summary>
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>Accepted storefront logins per key per minute, on each instance (0 turns the limit off).</summary>
    public int PermitsPerKeyPerMinute { get; set; } = 6000;

    internal bool Enabled => Keys.Count > 0;
}
