namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Where the Omneo tenant is and how the bridge authenticates as an admin integration.</summary>
public sealed class OmneoOptions
{
    public const string SectionName = "Omneo";

    /// <summary>The tenant root, e.g. <c>https://api.acme.getomneo.com</c>; admin API under /api/v3, ID API under /id/api/v1.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>A pre-generated admin bearer token (CX Manager, Settings, API Tokens). Takes precedence over OAuth.</summary>
    public string? ApiToken { get; set; }

    /// <summary>OAuth client id, used with <see cref="ClientSecret"/> when no <see cref="ApiToken"/> is set.</summary>
    public string? ClientId { get; set; }

    /// <summary>OAuth client secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The machine user's name, sent with OAuth when set.</summary>
    public string? Username { get; set; }

    /// <summary>The machine user's password, sent with OAuth when set.</summary>
    public string? Password { get; set; }

    /// <summary>OAuth grant type.</summary>
    public string GrantType { get; set; } = "client_credentials";

    /// <summary>OAuth scopes, <c>*</c> for all.</summary>
    public string Scope { get; set; } = "*";

    /// <summary>How long an OAuth admin token is trusted when Omneo does not say (<c>expires_in</c> absent).</summary>
    public int AdminTokenFallbackLifetimeSeconds { get; set; } = 3000;

    /// <summary>The identity handle that links an Omneo profile to an SFCC customer_no.</summary>
    public string IdentityHandle { get; set; } = "sfcc";

    /// <summary>Shared secret of Omneo webhooks (X-Omneo-Hmac-SHA256).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// Where Omneo reaches the bridge's webhook, e.g. <c>https://bridge.example.com/webhooks/omneo</c>; set it to let
    /// <c>POST /admin/omneo/webhooks</c> subscribe the bridge.
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// The namespace of the bridge's API token. Webhooks subscribed under it are not sent for the bridge's own writes,
    /// so Omneo does not echo them back.
    /// </summary>
    public string? WebhookNamespace { get; set; }

    /// <summary>
    /// The Omneo events the bridge subscribes to, comma-separated (one string, because configuration binding would
    /// append a configured list to a default one rather than replace it).
    /// </summary>
    public string WebhookTriggers { get; set; } = "profile.updated,profile.merged,profile.deleted";

    internal string[] WebhookTriggerList => (WebhookTriggers ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Time budget for one Omneo request, retries included.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    internal bool UsesStaticToken => !string.IsNullOrWhiteSpace(ApiToken);

    internal Uri AdminApiBase => new($"{BaseUrl!.AbsoluteUri.TrimEnd('/')}/api/v3/");

    internal Uri IdApiBase => new($"{BaseUrl!.AbsoluteUri.TrimEnd('/')}/id/api/v1/");
}
