using System.Security.Cryptography;
using System.Text;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>Names a secret in logs and cache keys without revealing it.</summary>
internal static class Fingerprint
{
    /// <summary>SHA-256 of the value, hex; the cache key of a token.</summary>
    public static string Of(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The first 8 hex digits of the hash: enough to correlate log lines, useless to an attacker.</summary>
    public static string Short(string secret) => Of(secret)[..8];
}
