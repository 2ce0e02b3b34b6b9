using System.Text.RegularExpressions;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>
/// SLAS (Shopper Login and API Access Service): whose shopper access tokens <c>/login</c> accepts beside OCAPI's.
/// Off while <see cref="OrganizationId"/> is empty. The site a token must be for (<c>chid</c>) is <c>Sfcc__SiteId</c>.
/// </summary>
public sealed partial class SlasOptions
{
    public const string SectionName = "Slas";

    /// <summary>The organization id, e.g. <c>f_ecom_zzte_053</c>; empty turns SLAS tokens off.</summary>
    public string OrganizationId { get; set; } = "";

    /// <summary>The SCAPI short code, e.g. <c>kv7kzm78</c>; names the default <see cref="BaseUrl"/>.</summary>
    public string ShortCode { get; set; } = "";

    /// <summary>SLAS client ids whose tokens are accepted (the <c>scid</c> in <c>sub</c>); empty accepts every client of the tenant.</summary>
    public string[] ClientIds { get; set; } = [];

    /// <summary>SCAPI root; default <c>https://{ShortCode}.api.commercecloud.salesforce.com</c> (overridden by tests and the sandbox).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// How old the cached JWKS may get before a login refreshes it, in minutes (1 to 1440). A failed refresh keeps
    /// the cached keys; an unknown <c>kid</c> refreshes sooner, at most once a minute.
    /// </summary>
    public int JwksRefreshMinutes { get; set; } = 60;

    internal bool Enabled => !string.IsNullOrWhiteSpace(OrganizationId);

    /// <summary>The tenant: the organization id without <c>f_ecom_</c>.</summary>
    internal string Tenant => OrganizationId.StartsWith("f_ecom_", StringComparison.Ordinal) ? OrganizationId["f_ecom_".Length..] : OrganizationId;

    internal string Issuer => $"slas/prod/{Tenant}";

    internal string Audience => $"commercecloud/prod/{Tenant}";

    /// <summary>
    /// The root the SLAS clients are built with. While SLAS is off (or the short code is unusable, which start-up
    /// reports) it is a reserved name that never resolves: the clients exist for every login but are never called.
    /// </summary>
    internal Uri EffectiveBaseUrl =>
        BaseUrl ?? (Uri.TryCreate($"https://{ShortCode}.api.commercecloud.salesforce.com/", UriKind.Absolute, out var url) && ShortCode.Length > 0
            ? url
            : new Uri("https://slas-not-configured.invalid/"));

    internal static bool IsOrganizationId(string value) => OrganizationIdPattern().IsMatch(value);

    [GeneratedRegex("^f_ecom_[a-z0-9_]{1,60}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OrganizationIdPattern();
}
