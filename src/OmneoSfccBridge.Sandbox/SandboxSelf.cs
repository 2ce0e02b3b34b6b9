using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace OmneoSfccBridge.Sandbox;

/// <summary>Where the sandbox reaches the bridge it runs in: one of the server's own bound addresses, on loopback.</summary>
internal static class SandboxSelf
{
    /// <summary>
    /// The first bound address reachable on loopback (http before https): a loopback binding as it is, a wildcard one
    /// (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) through the loopback address of its family; null when the
    /// server listens on no such address (or is not started yet).
    /// </summary>
    public static Uri? LoopbackAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return addresses
            .Select(Loopback)
            .OfType<Uri>()
            .OrderBy(a => a.Scheme == Uri.UriSchemeHttp ? 0 : 1)
            .FirstOrDefault();
    }

    private static Uri? Loopback(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return null;
        }

        if (binding.IsUnixPipe || binding.Port <= 0 || binding.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var host = binding.Host.Trim('[', ']');
        string? loopback = host switch
        {
            "*" or "+" or "0.0.0.0" => "127.0.0.1",
            "::" => "[::1]",
            _ when string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) => "127.0.0.1",
            _ when IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip) => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString(),
            _ => null,
        };

        // A certificate names a host, not 127.0.0.1: https goes to localhost.
        return loopback is null ? null : new Uri($"{binding.Scheme}://{(binding.Scheme == "https" ? "localhost" : loopback)}:{binding.Port}/");
    }
}
