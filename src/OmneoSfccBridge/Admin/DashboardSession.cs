using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Admin;

/// <summary>
/// The dashboard's browser session: a cookie holding only its expiry and an HMAC-SHA256 of it keyed from the admin
/// key. Nothing is stored server-side, so every instance with the same admin key accepts it, and changing the key ends
/// every session. The admin key itself never leaves the sign-in form.
/// </summary>
internal sealed class DashboardSession(IOptions<AdminOptions> options, TimeProvider time)
{
    /// <summary>Sent only to the dashboard's paths.</summary>
    public const string CookieName = "bridge-dashboard";

    public const string CookiePath = "/hangfire";

    // Versioned and bound to its purpose, so the MAC can never be confused with another use of the admin key.
    private const string Purpose = "OmneoSfccBridge dashboard session v1\n";

    /// <summary>Whether the request carries a session cookie this bridge made, under the current admin key, not expired.</summary>
    public bool IsValid(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || value is not { Length: > 0 and <= 128 })
        {
            return false;
        }

        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(value.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var lifetime = (long)TimeSpan.FromMinutes(options.Value.DashboardSessionMinutes).TotalSeconds;
        if (expires <= now || expires > now + lifetime)
        {
            return false;
        }

        var presented = new byte[32];
        return Base64Url.TryDecodeFromChars(value.AsSpan(dot + 1), presented, out var written)
            && written == presented.Length
            && CryptographicOperations.FixedTimeEquals(presented, Mac(expires));
    }

    /// <summary>Starts a session: the cookie expires with the session.</summary>
    public void SignIn(HttpResponse response)
    {
        var expires = time.GetUtcNow().AddMinutes(options.Value.DashboardSessionMinutes);
        var seconds = expires.ToUnixTimeSeconds();
        var value = seconds.ToString(CultureInfo.InvariantCulture) + "." + Base64Url.EncodeToString(Mac(seconds));
        response.Cookies.Append(CookieName, value, CookieOptions(DateTimeOffset.FromUnixTimeSeconds(seconds)));
    }

    /// <summary>Ends the session in this browser (an expired, empty cookie replaces it).</summary>
    public static void SignOut(HttpResponse response) =>
        response.Cookies.Delete(CookieName, CookieOptions(null));

    private static CookieOptions CookieOptions(DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = CookiePath,
        Expires = expires,
        IsEssential = true,
    };

    private byte[] Mac(long expires) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey), Encoding.UTF8.GetBytes(Purpose + expires.ToString(CultureInfo.InvariantCulture)));
}
