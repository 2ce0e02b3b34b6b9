namespace OmneoSfccBridge.Admin;

/// <summary>Access to the bridge's admin surfaces (/admin, /hangfire) and the request limits of the operator-facing endpoints.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The key callers send as <c>X-Admin-Key</c>; at least 24 characters.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Requests per client address per minute to <c>/admin</c> and <c>/hangfire</c> together (0 turns the limit off).</summary>
    public int PermitsPerMinute { get; set; } = 300;

    /// <summary>Requests per client address per minute to <c>/webhooks/omneo</c> (0 turns the limit off).</summary>
    public int WebhookPermitsPerMinute { get; set; } = 3000;

    /// <summary>How long a dashboard sign-in (the browser's session cookie) lasts, in minutes (5-10080; default 8 hours).</summary>
    public int DashboardSessionMinutes { get; set; } = 480;
}
