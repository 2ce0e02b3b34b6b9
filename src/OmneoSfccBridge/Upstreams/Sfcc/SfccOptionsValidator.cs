using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Upstreams.Sfcc;

internal sealed class SfccOptionsValidator : IValidateOptions<SfccOptions>
{
    public ValidateOptionsResult Validate(string? name, SfccOptions options)
    {
        var errors = new ConfigErrors(SfccOptions.SectionName);
        errors.RequireHttpsUrl(nameof(options.InstanceUrl), options.InstanceUrl);
        errors.RequireValue(nameof(options.SiteId), options.SiteId);
        errors.RequireValue(nameof(options.ClientId), options.ClientId);
        errors.RequireValue(nameof(options.ClientSecret), options.ClientSecret);
        errors.RequireValue(nameof(options.CustomerListId), options.CustomerListId);
        errors.RequireHttpsUrl(nameof(options.AccountManagerTokenUrl), options.AccountManagerTokenUrl);
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.OcapiVersion ?? "", "^[0-9]{2}_[0-9]{1,2}$"))
        {
            errors.Add(nameof(options.OcapiVersion), "must look like 23_2.");
        }

        if (!string.IsNullOrWhiteSpace(options.SiteId) && !System.Text.RegularExpressions.Regex.IsMatch(options.SiteId, "^[A-Za-z0-9_-]+$"))
        {
            errors.Add(nameof(options.SiteId), "may hold only letters, digits, '-' and '_'.");
        }

        if (!string.IsNullOrWhiteSpace(options.OcapiTokenSigningKey))
        {
            try
            {
                _ = SigningKeyParser.Parse(options.OcapiTokenSigningKey);
            }
            catch (FormatException ex)
            {
                errors.Add(nameof(options.OcapiTokenSigningKey), ex.Message);
            }
        }

        errors.RequireRange(nameof(options.TimeoutSeconds), options.TimeoutSeconds, 1, 120);
        return errors.ToResult();
    }
}
