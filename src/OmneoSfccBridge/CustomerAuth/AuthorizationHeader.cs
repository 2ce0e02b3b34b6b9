using System.Text;

namespace OmneoSfccBridge.CustomerAuth;

internal static class AuthorizationHeader
{
    private const int MaxLoginLength = 256;
    private const int MaxPasswordLength = 1024;

    /// <summary>Parses Basic or Bearer; on failure says, in words fit for the client, what is wrong.</summary>
    public static ShopperCredentials? TryParse(string? header, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(header))
        {
            problem = "The Authorization header is required: 'Basic base64(login:password)' or 'Bearer <SFCC token>'.";
            return null;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header.AsSpan() : header.AsSpan(0, space);
        var value = space < 0 ? ReadOnlyMemory<char>.Empty : header.AsMemory(space + 1).Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (value.Length == 0 || value.Span.Contains(' '))
            {
                problem = "The Bearer credentials must be one token.";
                return null;
            }

            // Not copied out of the header: a warm login needs only its hash.
            return new ShopperCredentials.Token(value);
        }

        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            problem = "The Authorization scheme must be Basic or Bearer.";
            return null;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(value.ToString()));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            problem = "The Basic credentials must be base64 of UTF-8 'login:password'.";
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == decoded.Length - 1)
        {
            problem = "The Basic credentials must hold a login and a password separated by ':'.";
            return null;
        }

        var login = decoded[..colon];
        var password = decoded[(colon + 1)..];
        if (login.Length > MaxLoginLength || password.Length > MaxPasswordLength)
        {
            problem = "The login or the password is too long.";
            return null;
        }

        return new ShopperCredentials.Password(login, password);
    }
}
