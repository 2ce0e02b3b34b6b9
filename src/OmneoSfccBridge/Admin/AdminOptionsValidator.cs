using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Admin;

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
