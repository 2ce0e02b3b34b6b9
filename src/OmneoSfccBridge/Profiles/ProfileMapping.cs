using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Profiles;

/// <summary>
/// The SFCC customer → Omneo profile field mapping, in one place:
/// first_name, last_name, email as they are; phone_mobile → mobile_phone when it is E.164 (+ and 8-15 digits);
/// birthday (YYYY-MM-DD) → birth_day / birth_month / birth_year; gender 1 → male, 2 → female.
/// </summary>
internal static class ProfileMapping
{
    public static OmneoProfileInput FromSfcc(SfccCustomer customer)
    {
        DateOnly? birthday = DateOnly.TryParseExact(customer.Birthday ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b) ? b : null;
        return new OmneoProfileInput
        {
            FirstName = Blank(customer.FirstName),
            LastName = Blank(customer.LastName),
            Email = Blank(customer.Email)?.Trim(),
            MobilePhone = E164(customer.PhoneMobile),
            Gender = customer.Gender switch { 1 => "male", 2 => "female", _ => null },
            BirthDay = birthday?.Day,
            BirthMonth = birthday?.Month,
            BirthYear = birthday?.Year,
        };
    }

    /// <summary>A stable hash of what the bridge would write, so an unchanged customer costs no Omneo write.</summary>
    public static string Hash(OmneoProfileInput input) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(input, UpstreamJson.Options)))[..32];

    internal static string? E164(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var digits = new StringBuilder();
        foreach (var c in phone.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '+'))
            {
                return null;
            }
        }

        return phone.TrimStart().StartsWith('+') && digits.Length is >= 8 and <= 15 ? "+" + digits : null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
