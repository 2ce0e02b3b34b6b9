using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Upstreams.Sfcc;

internal sealed partial class SlasOptionsValidator : IValidateOptions<SlasOptions>
{
    public ValidateOptionsResult Validate(string? name, SlasOptions options)
    {
        var errors = new ConfigErrors(SlasOptions.SectionName);
        errors.RequireRange(nameof(options.JwksRefreshMinutes), options.JwksRefreshMinutes, 1, 1440);
        if (!options.Enabled)
        {
            return errors.ToResult();
        }

        // The organization id goes into the JWKS and Shopper Customers paths, the tenant into iss and aud.
        if (!SlasOptions.IsOrganizationId(options.OrganizationId))
        {
            errors.Add(nameof(options.OrganizationId), "must look like f_ecom_zzte_053 (f_ecom_ then letters, digits and '_').");
        }

        if (options.BaseUrl is null)
        {
            if (!ShortCodePattern().IsMatch(options.ShortCode ?? ""))
            {
                errors.Add(nameof(options.ShortCode), "is required (letters and digits, e.g. kv7kzm78) unless Slas__BaseUrl is set.");
            }
        }
        else
        {
            errors.RequireHttpsUrl(nameof(options.BaseUrl), options.BaseUrl);
        }

        if (options.ClientIds.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(nameof(options.ClientIds), "must not hold an empty client id.");
        }

        return errors.ToResult();
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortCodePattern();
}
