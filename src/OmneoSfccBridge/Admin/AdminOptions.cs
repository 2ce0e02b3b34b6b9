using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

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

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new ConfigErrors(AdminOptions.SectionName);
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            errors.Add(nameof(options.ApiKey), "is required (a random string of at least 24 characters).");
        }
        else if (options.ApiKey.Length < 24)
        {
            errors.Add(nameof(options.ApiKey), "must be at least 24 characters long.");
        }

        errors.RequireRange(nameof(options.PermitsPerMinute), options.PermitsPerMinute, 0, 1_000_000);
        errors.RequireRange(nameof(options.WebhookPermitsPerMinute), options.WebhookPermitsPerMinute, 0, 1_000_000);
        errors.RequireRange(nameof(options.DashboardSessionMinutes), options.DashboardSessionMinutes, 5, 10_080);
        return errors.ToResult();
    }
}
