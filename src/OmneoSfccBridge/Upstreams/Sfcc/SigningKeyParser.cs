using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>Reads configured verification keys: a PEM public key (RSA or EC) or a JWKS document of public keys.</summary>
internal static class SigningKeyParser
{
    public static IReadOnlyList<SecurityKey> Parse(string text)
    {
        text = text.Trim();
        if (text.StartsWith('{'))
        {
            JsonWebKeySet set;
            try
            {
                set = new JsonWebKeySet(text);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException("is not a valid JWKS document.", ex);
            }

            if (set.Keys.Count == 0 || set.Keys.Any(k => k.Kty is not ("RSA" or "EC") || k.HasPrivateKey))
            {
                throw new FormatException("must hold only RSA or EC public keys (no symmetric or private keys).");
            }

            return [.. set.Keys];
        }

        if (!text.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal) && !text.Contains("-----BEGIN RSA PUBLIC KEY-----", StringComparison.Ordinal))
        {
            throw new FormatException("must be a PEM public key (-----BEGIN PUBLIC KEY-----) or a JWKS document.");
        }

        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(text);
            return [new RsaSecurityKey(rsa)];
        }
        catch (CryptographicException)
        {
            try
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(text);
                return [new ECDsaSecurityKey(ec)];
            }
            catch (CryptographicException ex)
            {
                throw new FormatException("is not a readable RSA or EC public key.", ex);
            }
        }
    }
}
