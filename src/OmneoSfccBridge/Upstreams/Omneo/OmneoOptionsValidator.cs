using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Upstreams.Omneo;

internal sealed class OmneoOptionsValidator : IValidateOptions<OmneoOptions>
{
    public ValidateOptionsResult Validate(string? name, OmneoOptions options)
    {
        var errors = new ConfigErrors(OmneoOptions.SectionName);
        errors.RequireHttpsUrl(nameof(options.BaseUrl), options.BaseUrl);
        if (!options.UsesStaticToken && (string.IsNullOrWhiteSpace(options.ClientId) || string.IsNullOrWhiteSpace(options.ClientSecret)))
        {
            errors.Add(nameof(options.ApiToken), "is required unless Omneo__ClientId and Omneo__ClientSecret are set.");
        }

        errors.RequireValue(nameof(options.IdentityHandle), options.IdentityHandle);
        if (options.WebhookUrl is not null)
        {
            errors.RequireHttpsUrl(nameof(options.WebhookUrl), options.WebhookUrl);
        }

        if (options.WebhookTriggerList.Length == 0)
        {
            errors.Add(nameof(options.WebhookTriggers), "needs at least one event name (comma-separated).");
        }

        errors.RequireRange(nameof(options.TimeoutSeconds), options.TimeoutSeconds, 1, 120);
        errors.RequireRange(nameof(options.AdminTokenFallbackLifetimeSeconds), options.AdminTokenFallbackLifetimeSeconds, 60, 86_400);
        return errors.ToResult();
    }
}
