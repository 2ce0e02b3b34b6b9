using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OmneoSfccBridge.CustomerRegistration;

namespace OmneoSfccBridge.Tests.CustomerRegistration;

/// <summary>A leaked idempotency row must not be an offline password oracle: its value depends on the server secret.</summary>
public sealed class IdempotencyFingerprintTests
{
    private const string Secret = "first-secret-0123456789abcdef-0123456789";
    private static readonly RegistrationForm Form = new("nia@example.com", "nia@example.com", "Correct-Horse-9", "Nia", "Moss", null, null);

    [Fact]
    public void Of_OtherSecret_GivesAnotherFingerprint()
    {
        var one = new IdempotencyFingerprint(Secret).Of("guest-1", "key-1", Form);
        var other = new IdempotencyFingerprint("second-secret-0123456789abcdef-012345678").Of("guest-1", "key-1", Form);

        Assert.NotEqual(one, other);
        Assert.Equal(one, new IdempotencyFingerprint(Secret).Of("guest-1", "key-1", Form));
    }

    [Fact]
    public void Of_AnyBody_IsNeverAnUnkeyedHashOfIt()
    {
        var stored = new IdempotencyFingerprint(Secret).Of("guest-1", "key-1", Form);
        var mac = stored[(stored.IndexOf(':', StringComparison.Ordinal) + 1)..];

        var fields = new[] { Form.Login, Form.Email, Form.Password, Form.FirstName, Form.LastName, Form.Phone, Form.Birthday };
        var withScope = new[] { "guest-1", "key-1" }.Concat(fields).ToArray();
        string[] unkeyed =
        [
            Hex(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(fields))),
            Hex(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(withScope))),
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(Form.Password))),
            Hex(Rfc2898DeriveBytes.Pbkdf2(JsonSerializer.SerializeToUtf8Bytes(fields), SHA256.HashData(Encoding.UTF8.GetBytes("create\nkey-1")), 10_000, HashAlgorithmName.SHA256, 32)),
        ];
        Assert.DoesNotContain(mac, unkeyed);
        Assert.DoesNotContain(Form.Password, stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_OtherGuestOrKey_GivesAnotherFingerprint()
    {
        var fingerprints = new IdempotencyFingerprint(Secret);

        Assert.NotEqual(fingerprints.Of("guest-1", "key-1", Form), fingerprints.Of("guest-2", "key-1", Form));
        Assert.NotEqual(fingerprints.Of("guest-1", "key-1", Form), fingerprints.Of("guest-1", "key-2", Form));
    }

    [Fact]
    public void IsCurrent_FingerprintOfARotatedSecret_IsFalse()
    {
        var old = new IdempotencyFingerprint("second-secret-0123456789abcdef-012345678").Of("guest-1", "key-1", Form);
        var current = new IdempotencyFingerprint(Secret);

        Assert.False(current.IsCurrent(old));
        Assert.True(current.IsCurrent(current.Of("guest-1", "key-1", Form)));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
