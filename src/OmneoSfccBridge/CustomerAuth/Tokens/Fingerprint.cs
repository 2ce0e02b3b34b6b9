using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>Names a secret in logs and cache keys without revealing it.</summary>
internal static class Fingerprint
{
    /// <summary>Secrets up to this many UTF-8 bytes are hashed from the stack (larger ones use a pooled buffer).</summary>
    private const int StackBytes = 4096;

    /// <summary>SHA-256 of the value, hex; the cache key of a token.</summary>
    public static string Of(ReadOnlySpan<char> secret)
    {
        // Computed at every login (the verdict cache's key): the UTF-8 bytes go to the stack (or, for a longer secret, a
        // pooled buffer, cleared after), not to a fresh array the size of the token.
        Span<byte> stack = stackalloc byte[StackBytes];
        if (Encoding.UTF8.TryGetBytes(secret, stack, out var written))
        {
            return Hash(stack[..written]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(secret.Length));
        try
        {
            written = Encoding.UTF8.GetBytes(secret, rented);
            return Hash(rented.AsSpan(0, written));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The first 8 hex digits of the hash: enough to correlate log lines, useless to an attacker.</summary>
    public static string Short(ReadOnlySpan<char> secret) => Of(secret)[..8];

    private static string Hash(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexString(hash);
    }
}
