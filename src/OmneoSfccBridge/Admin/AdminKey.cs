using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Admin;

/// <summary>Checks <c>X-Admin-Key</c> in constant time (hashes of equal length are compared).</summary>
internal sealed class AdminKey(IOptions<AdminOptions> options)
{
    public const string HeaderName = "X-Admin-Key";

    public bool IsValid(HttpContext context) =>
        context.Request.Headers.TryGetValue(HeaderName, out var presented)
        && presented.Count == 1
        && Matches(presented[0]);

    /// <summary>Whether <paramref name="presented"/> is the admin key (the dashboard's sign-in form sends it this way).</summary>
    public bool Matches(string? presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? "")),
            SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey)));
}
