using System.Globalization;
using System.Net.Mail;
using System.Text.Json;

namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>The body of <c>POST /create</c>, validated. Never printed whole: it holds the password.</summary>
internal sealed record RegistrationForm(string Login, string Email, string Password, string FirstName, string LastName, string? Phone, string? Birthday)
{
    public const int MaxLength = 256;
    public const int MaxPasswordLength = 1024;

    /// <summary>
    /// Reads and checks the JSON body; on failure <c>Errors</c> names each bad field by its JSON name (one entry per
    /// field), or <c>Problem</c> says why the body is not a JSON object at all.
    /// </summary>
    public static async Task<(RegistrationForm? Form, Dictionary<string, string[]>? Errors, string? Problem)> ReadAsync(Stream body, DateOnly today, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 8 }, cancellationToken);
        }
        catch (JsonException)
        {
            return (null, null, "The request body must be a JSON object.");
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's body limit (64 KB) or a truncated upload: never a registration worth reading.
            return (null, null, "The request body could not be read (at most 64 KB of JSON).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, "The request body must be a JSON object.");
            }

            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var root = document.RootElement;
            var login = Required(root, "login", errors);
            var email = Required(root, "email", errors);
            var password = Required(root, "password", errors, trim: false);
            var firstName = Required(root, "first_name", errors);
            var lastName = Required(root, "last_name", errors);
            var phone = Optional(root, "phone", errors);
            var birthday = Optional(root, "birthday", errors);

            if (login is not null && (login.Contains(':', StringComparison.Ordinal) || login.Any(char.IsControl)))
            {
                errors["login"] = ["The login field must not contain ':' or control characters."];
            }

            if (email is not null && !IsEmail(email))
            {
                errors["email"] = ["The email field is not a valid e-mail address."];
            }

            if (password is not null && password.Length > MaxPasswordLength)
            {
                errors["password"] = [$"The password field must be at most {MaxPasswordLength} characters long."];
            }

            if (phone is not null && !IsPhone(phone))
            {
                errors["phone"] = ["The phone field must be a phone number, E.164 preferred (e.g. +61412345678)."];
            }

            if (birthday is not null && !IsBirthday(birthday, today))
            {
                errors["birthday"] = ["The birthday field must be a past date as YYYY-MM-DD."];
            }

            return errors.Count > 0
                ? (null, errors, null)
                : (new RegistrationForm(login!, email!, password!, firstName!, lastName!, phone, birthday), null, null);
        }
    }

    /// <summary>The lock keys of this registration: its login and email, lowercased, once each.</summary>
    public IReadOnlyList<string> LockNames() =>
        new[] { Login.ToLowerInvariant(), Email.ToLowerInvariant() }.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public override string ToString() => $"RegistrationForm {{ Login = {Login} }}";

    private static string? Required(JsonElement root, string name, Dictionary<string, string[]> errors, bool trim = true)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors[name] = [$"The {name} field is required."];
            return null;
        }

        var text = Text(value, name, errors, trim);
        if (text is { Length: 0 } || (text is not null && string.IsNullOrWhiteSpace(text)))
        {
            errors[name] = [$"The {name} field is required."];
            return null;
        }

        return text;
    }

    private static string? Optional(JsonElement root, string name, Dictionary<string, string[]> errors) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null && Text(value, name, errors, trim: true) is { Length: > 0 } text
            ? text
            : null;

    private static string? Text(JsonElement value, string name, Dictionary<string, string[]> errors, bool trim)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = [$"The {name} field must be a string."];
            return null;
        }

        var text = value.GetString()!;
        text = trim ? text.Trim() : text;
        if (name != "password" && text.Length > MaxLength)
        {
            errors[name] = [$"The {name} field must be at most {MaxLength} characters long."];
            return null;
        }

        return text;
    }

    private static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private static bool IsPhone(string phone)
    {
        var digits = phone.Count(char.IsAsciiDigit);
        var plus = phone.IndexOf('+', StringComparison.Ordinal);
        return digits is >= 6 and <= 15
            && (plus < 0 || (plus == 0 && phone.LastIndexOf('+') == 0))
            && phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.' or '+');
    }

    private static bool IsBirthday(string birthday, DateOnly today) =>
        DateOnly.TryParseExact(birthday, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        && date.Year >= 1900
        && date < today;
}
