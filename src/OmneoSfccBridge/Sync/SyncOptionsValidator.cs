using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;
using OmneoSfccBridge.Profiles;

namespace OmneoSfccBridge.Sync;

internal sealed class SyncOptionsValidator(IOptions<ProfilesOptions> profiles) : IValidateOptions<SyncOptions>
{
    private static readonly string[] Owners = Enum.GetNames<FieldOwner>();

    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var errors = new ConfigErrors(SyncOptions.SectionName);
        errors.RequireRange(nameof(options.LoginRefreshIntervalMinutes), options.LoginRefreshIntervalMinutes, 0, 10_080);
        errors.RequireRange(nameof(options.DeltaIntervalMinutes), options.DeltaIntervalMinutes, 0, 1_440);
        errors.RequireRange(nameof(options.DeltaOverlapSeconds), options.DeltaOverlapSeconds, 0, 86_400);
        errors.RequireRange(nameof(options.PageSize), options.PageSize, 1, 200);
        errors.RequireRange(nameof(options.DeltaPagesPerJob), options.DeltaPagesPerJob, 1, 10_000);
        errors.RequireRange(nameof(options.Parallelism), options.Parallelism, 1, 64);
        errors.RequireRange(nameof(options.LeaseSeconds), options.LeaseSeconds, 10, 3_600);
        errors.RequireRange(nameof(options.WebhookRetentionDays), options.WebhookRetentionDays, 1, 365);
        if (options.DeltaIntervalMinutes > 0 && 60 % options.DeltaIntervalMinutes != 0 && options.DeltaIntervalMinutes % 60 != 0)
        {
            errors.Add(nameof(options.DeltaIntervalMinutes), $"must divide an hour or be whole hours (was {options.DeltaIntervalMinutes}).");
        }

        foreach (var (attribute, key) in options.CustomAttributes)
        {
            if (!attribute.StartsWith("c_", StringComparison.Ordinal) || attribute.Length < 3)
            {
                errors.Add($"{nameof(options.CustomAttributes)}__{attribute}", "must name an SFCC custom attribute (c_…).");
            }
            else if (string.IsNullOrWhiteSpace(key))
            {
                errors.Add($"{nameof(options.CustomAttributes)}__{attribute}", "needs the Omneo custom field key it maps to.");
            }
        }

        foreach (var (field, owner) in options.FieldOwners)
        {
            if (!Owners.Contains(owner, StringComparer.Ordinal))
            {
                errors.Add($"{nameof(options.FieldOwners)}__{field}", $"must be Sfcc, Omneo or Newer (was '{owner}').");
            }
        }

        // SFCC's security fields are written from SFCC only (ProfileMapping.IsSfccOwned); a configuration that says
        // otherwise is a mistake to stop at start-up, not a rule to ignore silently.
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in SfccOwnedFields(options, profiles.Value.EmailVerifiedAttribute))
        {
            if (options.OwnerEntryOf(field) is { } entry && entry.Value != nameof(FieldOwner.Sfcc) && named.Add(entry.Key))
            {
                errors.Add(
                    $"{nameof(options.FieldOwners)}__{entry.Key}",
                    $"'{field}' is SFCC's own (SFCC sends password recovery to the email) and is never written from Omneo; it cannot be owned by '{entry.Value}' (remove the key or set it to Sfcc).");
            }
        }

        if (!Owners.Contains(options.DefaultOwner, StringComparer.Ordinal))
        {
            errors.Add(nameof(options.DefaultOwner), $"must be Sfcc, Omneo or Newer (was '{options.DefaultOwner}').");
        }

        return errors.ToResult();
    }

    private static IEnumerable<string> SfccOwnedFields(SyncOptions options, string? emailVerifiedAttribute)
    {
        yield return "email";
        yield return "login";
        if (!string.IsNullOrEmpty(emailVerifiedAttribute))
        {
            yield return emailVerifiedAttribute;
            if (options.CustomAttributes.TryGetValue(emailVerifiedAttribute, out var key) && !string.IsNullOrWhiteSpace(key))
            {
                yield return ProfileMapping.CustomPrefix + key;
            }
        }
    }
}
