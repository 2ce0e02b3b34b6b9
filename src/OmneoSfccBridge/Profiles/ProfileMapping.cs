using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Profiles;

/// <summary>
/// The field mapping between an SFCC customer and an Omneo profile, both ways, in one place. A
/// <see cref="ProfileState"/> key names the Omneo field; the SFCC side is what is read and written for it:
/// <list type="table">
/// <item><term>first_name, last_name</term><description>first_name, last_name, as they are (blank = absent)</description></item>
/// <item><term>email</term><description>email, trimmed; SFCC → Omneo only</description></item>
/// <item><term>mobile_phone</term><description>phone_mobile, only when E.164 (+ and 8-15 digits; spaces, dashes, dots, brackets dropped)</description></item>
/// <item><term>gender</term><description>gender: 1 ↔ male, 2 ↔ female (other values are not synced)</description></item>
/// <item><term>birth_day, birth_month, birth_year</term><description>birthday YYYY-MM-DD (written to SFCC only when all three are known)</description></item>
/// <item><term>custom_fields.{key}</term><description>the <c>c_*</c> attribute configured in <c>Sync:CustomAttributes</c> (c_attr → key), JSON value as is</description></item>
/// </list>
/// login is never synced (SFCC's own); Omneo's read-only fields (identities, tier, balances, comms) are not written.
/// SFCC's security fields (<see cref="IsSfccOwned"/>) are never written to SFCC from Omneo.
/// </summary>
internal static class ProfileMapping
{
    public const string CustomPrefix = "custom_fields.";

    /// <summary>
    /// Whether <paramref name="field"/> (a mapped field name, or an SFCC attribute name) is SFCC's alone: the email and
    /// login (SFCC sends password recovery to the email, so whoever could set it from Omneo could take the SFCC account
    /// over) and <paramref name="emailVerifiedAttribute"/>, with the custom field it is mapped to. Such a field is read
    /// from SFCC and may be written to Omneo, but never the other way, whatever <c>Sync:FieldOwners</c> says.
    /// </summary>
    public static bool IsSfccOwned(string field, IReadOnlyDictionary<string, string> customAttributes, string? emailVerifiedAttribute) =>
        field is "email" or "login"
        || (!string.IsNullOrEmpty(emailVerifiedAttribute)
            && (field == emailVerifiedAttribute
                || (customAttributes.TryGetValue(emailVerifiedAttribute, out var key) && field == CustomPrefix + key)));

    private static readonly IReadOnlyDictionary<string, string> NoCustomAttributes = new Dictionary<string, string>();

    public static OmneoProfileInput FromSfcc(SfccCustomer customer) => FromSfcc(customer, NoCustomAttributes);

    /// <summary>The Omneo profile input an SFCC customer maps to; <paramref name="customAttributes"/> is c_attr → custom field key.</summary>
    public static OmneoProfileInput FromSfcc(SfccCustomer customer, IReadOnlyDictionary<string, string> customAttributes)
    {
        DateOnly? birthday = DateOnly.TryParseExact(customer.Birthday ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b) ? b : null;
        Dictionary<string, JsonElement>? custom = null;
        foreach (var (attribute, key) in customAttributes)
        {
            if (customer.Extra?.TryGetValue(attribute, out var value) == true && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                (custom ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[key] = value;
            }
        }

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
            CustomFields = custom,
        };
    }

    /// <summary>The shared state an SFCC customer holds.</summary>
    public static ProfileState StateOf(SfccCustomer customer, IReadOnlyDictionary<string, string> customAttributes) =>
        StateOf(FromSfcc(customer, customAttributes));

    /// <summary>The shared state an Omneo profile holds: the mapped fields only, normalised as the SFCC side is.</summary>
    public static ProfileState StateOf(OmneoProfile profile, IReadOnlyDictionary<string, string> customAttributes)
    {
        var keys = customAttributes.Values.ToHashSet(StringComparer.Ordinal);
        return StateOf(new OmneoProfileInput
        {
            FirstName = Blank(profile.FirstName),
            LastName = Blank(profile.LastName),
            Email = Blank(profile.Email)?.Trim(),
            MobilePhone = E164(profile.MobilePhone),
            Gender = profile.Gender?.Trim().ToLowerInvariant() is "male" or "female" ? profile.Gender.Trim().ToLowerInvariant() : null,
            BirthDay = profile.BirthDay,
            BirthMonth = profile.BirthMonth,
            BirthYear = profile.BirthYear,
            CustomFields = profile.CustomFields?.Where(f => keys.Contains(f.Key) && f.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
        });
    }

    public static ProfileState StateOf(OmneoProfileInput input)
    {
        var state = new ProfileState();
        state.Set("first_name", input.FirstName);
        state.Set("last_name", input.LastName);
        state.Set("email", input.Email);
        state.Set("mobile_phone", input.MobilePhone);
        state.Set("gender", input.Gender);
        state.Set("birth_day", input.BirthDay?.ToString(CultureInfo.InvariantCulture));
        state.Set("birth_month", input.BirthMonth?.ToString(CultureInfo.InvariantCulture));
        state.Set("birth_year", input.BirthYear?.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in input.CustomFields ?? [])
        {
            state.Set(CustomPrefix + key, value.GetRawText());
        }

        return state;
    }

    /// <summary>An Omneo profile input carrying only <paramref name="fields"/> of <paramref name="state"/> (Omneo leaves the others as they are).</summary>
    public static OmneoProfileInput ToOmneo(ProfileState state, IEnumerable<string> fields)
    {
        var wanted = fields.ToHashSet(StringComparer.Ordinal);
        string? Get(string key) => wanted.Contains(key) ? state.Get(key) : null;
        int? Int(string key) => int.TryParse(Get(key), CultureInfo.InvariantCulture, out var i) ? i : null;
        var custom = wanted.Where(k => k.StartsWith(CustomPrefix, StringComparison.Ordinal) && state.Get(k) is not null)
            .ToDictionary(k => k[CustomPrefix.Length..], k => JsonDocument.Parse(state.Get(k)!).RootElement.Clone(), StringComparer.Ordinal);
        return new OmneoProfileInput
        {
            FirstName = Get("first_name"),
            LastName = Get("last_name"),
            Email = Get("email"),
            MobilePhone = Get("mobile_phone"),
            Gender = Get("gender"),
            BirthDay = Int("birth_day"),
            BirthMonth = Int("birth_month"),
            BirthYear = Int("birth_year"),
            CustomFields = custom.Count == 0 ? null : custom,
        };
    }

    /// <summary>
    /// The Data API PATCH body that writes <paramref name="fields"/> of <paramref name="state"/> to an SFCC customer;
    /// null sets a field empty. SFCC-owned fields (<see cref="IsSfccOwned"/>) are left out, and the only custom
    /// attributes written are those mapped in <paramref name="customAttributes"/>.
    /// </summary>
    public static JsonObject ToSfccPatch(ProfileState state, IEnumerable<string> fields, IReadOnlyDictionary<string, string> customAttributes, string? emailVerifiedAttribute)
    {
        var patch = new JsonObject();
        foreach (var field in fields.Distinct(StringComparer.Ordinal).Where(f => !IsSfccOwned(f, customAttributes, emailVerifiedAttribute)))
        {
            var value = state.Get(field);
            switch (field)
            {
                case "first_name" or "last_name":
                    patch[field] = value;
                    break;
                case "mobile_phone":
                    patch["phone_mobile"] = value;
                    break;
                case "gender" when value is "male" or "female" or null:
                    patch["gender"] = value switch { "male" => 1, "female" => 2, _ => null };
                    break;
                case "birth_day" or "birth_month" or "birth_year":
                    patch["birthday"] = int.TryParse(state.Get("birth_year"), CultureInfo.InvariantCulture, out var y)
                        && int.TryParse(state.Get("birth_month"), CultureInfo.InvariantCulture, out var m)
                        && int.TryParse(state.Get("birth_day"), CultureInfo.InvariantCulture, out var d)
                        && y is >= 1 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m)
                            ? new DateOnly(y, m, d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                            : null;
                    break;
                default:
                    if (field.StartsWith(CustomPrefix, StringComparison.Ordinal)
                        && customAttributes.FirstOrDefault(a => a.Value == field[CustomPrefix.Length..] && !IsSfccOwned(a.Key, customAttributes, emailVerifiedAttribute)).Key is { } attribute)
                    {
                        patch[attribute] = value is null ? null : JsonNode.Parse(value);
                    }

                    break;
            }
        }

        return patch;
    }

    /// <summary>A stable hash of what the bridge would write, so an unchanged customer costs no Omneo write.</summary>
    public static string Hash(OmneoProfileInput input) => StateOf(input).Hash();

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
