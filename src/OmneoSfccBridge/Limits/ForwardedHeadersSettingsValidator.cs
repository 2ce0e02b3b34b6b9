using System.Net;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Limits;

internal sealed class ForwardedHeadersSettingsValidator(IConfiguration configuration) : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var errors = new ConfigErrors(ForwardedHeadersSettings.SectionName);
        for (var i = 0; i < options.KnownProxies.Length; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                errors.Add($"{nameof(options.KnownProxies)}__{i}", $"'{options.KnownProxies[i]}' is not an IP address.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Length; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                errors.Add($"{nameof(options.KnownNetworks)}__{i}", $"'{options.KnownNetworks[i]}' is not a network in CIDR notation (e.g. 10.0.0.0/8).");
            }
        }

        // ASP.NET Core's own switch clears the known proxies, after which every peer's X-Forwarded-For is believed.
        if (configuration.GetValue<bool>("ForwardedHeaders_Enabled"))
        {
            errors.Add("Enabled", "ASPNETCORE_FORWARDEDHEADERS_ENABLED trusts X-Forwarded-For from anyone; remove it and list the proxies in ForwardedHeaders__KnownProxies or ForwardedHeaders__KnownNetworks.");
        }

        return errors.ToResult();
    }
}
