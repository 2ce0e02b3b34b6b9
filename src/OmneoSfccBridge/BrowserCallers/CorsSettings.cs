namespace OmneoSfccBridge.BrowserCallers;

/// <summary>
/// Which storefront origins may call <c>POST /login</c> and <c>POST /create</c> from a browser. Empty (the default)
/// leaves CORS off: a browser on another origin cannot read the answers.
/// </summary>
public sealed class CorsSettings
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins, e.g. <c>https://www.example.com</c>: scheme, host and port only; never <c>*</c>.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser may cache a preflight answer (<c>Access-Control-Max-Age</c>). Chromium caps it at 7200.</summary>
    public int PreflightMaxAgeSeconds { get; set; } = 600;

    /// <summary>The configured origins as browsers send them in <c>Origin</c> (lowercase, default port dropped).</summary>
    internal IEnumerable<string> NormalizedOrigins => AllowedOrigins
        .Select(o => Uri.TryCreate(o, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null)
        .OfType<string>();
}
