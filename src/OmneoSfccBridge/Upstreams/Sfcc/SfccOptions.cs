namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>Where the SFCC instance is and how the bridge identifies itself to it.</summary>
public sealed class SfccOptions
{
    public const string SectionName = "Sfcc";

    /// <summary>The instance root, e.g. <c>https://zzzz-001.dx.commercecloud.salesforce.com</c>; https unless the host is loopback.</summary>
    public Uri? InstanceUrl { get; set; }

    /// <summary>The storefront site id, e.g. <c>RefArch</c>.</summary>
    public string SiteId { get; set; } = "";

    /// <summary>OCAPI version in URL form, e.g. <c>23_2</c>.</summary>
    public string OcapiVersion { get; set; } = "23_2";

    /// <summary>The OCAPI / Account Manager API client id; also the <c>iss</c> of the OCAPI tokens it issues.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The API client's secret, used for the Data API (Account Manager client credentials).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Account Manager's OAuth token endpoint.</summary>
    public Uri? AccountManagerTokenUrl { get; set; } = new("https://account.demandware.com/dw/oauth2/access_token");

    /// <summary>The customer list the site's registered customers live in (mapping keys use it).</summary>
    public string CustomerListId { get; set; } = "";

    /// <summary>Other OCAPI client ids whose tokens are accepted as <c>iss</c> besides <see cref="ClientId"/>.</summary>
    public string[] AdditionalTokenIssuers { get; set; } = [];

    /// <summary>
    /// Optional key that verifies OCAPI token signatures locally: a PEM public key or a JWKS document.
    /// Without it, a token's authenticity is confirmed by calling SFCC with it.
    /// </summary>
    public string? OcapiTokenSigningKey { get; set; }

    /// <summary>Time budget for one SFCC request, retries included.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    internal Uri ShopApiBase => new($"{InstanceUrl!.AbsoluteUri.TrimEnd('/')}/s/{SiteId}/dw/shop/v{OcapiVersion}/");

    internal Uri DataApiBase => new($"{InstanceUrl!.AbsoluteUri.TrimEnd('/')}/s/-/dw/data/v{OcapiVersion}/");

    internal IReadOnlySet<string> TokenIssuers =>
        new HashSet<string>(AdditionalTokenIssuers.Append(ClientId).Where(s => !string.IsNullOrWhiteSpace(s)), StringComparer.Ordinal);
}
