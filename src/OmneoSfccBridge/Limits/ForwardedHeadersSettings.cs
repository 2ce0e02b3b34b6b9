using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

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
