using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Limits;

/// <summary>
/// The load balancers or proxies whose <c>X-Forwarded-For</c> the bridge believes. With none configured the
/// connection's own address is the client's and every <c>X-Forwarded-For</c> is ignored.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    internal bool Any => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    /// <summary>Applies the (validated) lists; the framework's default trust of loopback is dropped.</summary>
    internal void ApplyTo(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();

        // No limit on hops: the middleware walks X-Forwarded-For from the right and stops at the first address
        // that is not a known proxy, so a client cannot get past the last trusted hop whatever it prepends.
        options.ForwardLimit = null;
        foreach (var proxy in KnownProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
        }

        foreach (var network in KnownNetworks)
        {
            if (System.Net.IPNetwork.TryParse(network, out var parsed))
            {
                options.KnownIPNetworks.Add(parsed);
            }
        }
    }
}

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
