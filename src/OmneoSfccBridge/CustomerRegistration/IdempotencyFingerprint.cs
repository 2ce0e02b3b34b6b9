using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>
/// What is stored of a <c>/create</c> body to recognise its retry: HMAC-SHA256 of the guest, the key and the
/// normalised fields, under a key derived (HKDF) from <see cref="RegistrationOptions.IdempotencySecret"/>. The
/// password is in the body, so an unkeyed or fixed-salt hash of it would let whoever reads the database test password
/// guesses offline; without the secret the stored value says nothing. Each value starts with an id of the key it was
/// made with, so values made before a rotation are recognised as such instead of looking like another body.
/// </summary>
internal sealed class IdempotencyFingerprint
{
    private static readonly byte[] Purpose = "OmneoSfccBridge /create Idempotency-Key fingerprint v1"u8.ToArray();

    private readonly byte[] _key;

    public IdempotencyFingerprint(IOptions<RegistrationOptions> options)
        : this(options.Value.IdempotencySecret)
    {
    }

    internal IdempotencyFingerprint(string secret)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Purpose);
        KeyId = Convert.ToHexString(HMACSHA256.HashData(_key, "key id"u8))[..8].ToLowerInvariant();
    }

    /// <summary>Names the derived key without revealing it (a MAC of a constant), so rows of an older secret are told apart.</summary>
    public string KeyId { get; }

    public string Of(string guestCustomerId, string idempotencyKey, RegistrationForm form)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            guestCustomerId, idempotencyKey, form.Login, form.Email, form.Password, form.FirstName, form.LastName, form.Phone, form.Birthday,
        });
        return $"{KeyId}:{Convert.ToHexString(HMACSHA256.HashData(_key, canonical)).ToLowerInvariant()}";
    }

    public bool IsCurrent(string storedFingerprint) => storedFingerprint.StartsWith(KeyId + ":", StringComparison.Ordinal);
}
