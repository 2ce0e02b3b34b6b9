using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;
using OmneoSfccBridge.Profiles;

namespace OmneoSfccBridge.Sync;

/// <summary>How SFCC and Omneo customer records are kept in step.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>A login refreshes the customer's Omneo profile at most this often, in minutes (0: at every login).</summary>
    public int LoginRefreshIntervalMinutes { get; set; } = 15;

    /// <summary>How often the SFCC → Omneo delta runs, in minutes; 0 turns the recurring job off (the admin endpoint still runs it).</summary>
    public int DeltaIntervalMinutes { get; set; } = 5;

    /// <summary>
    /// Set by the sandbox, not by configuration: with no stored watermark, start-up stores the start time, so the delta
    /// carries only changes made after start-up, never the customers that existed before (those come by login or backfill).
    /// </summary>
    internal bool WatermarkFromStart { get; set; }

    /// <summary>How far before the stored watermark a delta run starts reading, in seconds (clock skew, late commits).</summary>
    public int DeltaOverlapSeconds { get; set; } = 120;

    /// <summary>Customers per Data API search page (OCAPI allows up to 200).</summary>
    public int PageSize { get; set; } = 200;

    /// <summary>Pages one delta job handles before it hands over to a fresh job (keeps jobs short).</summary>
    public int DeltaPagesPerJob { get; set; } = 20;

    /// <summary>
    /// No longer used: a backfill job applies one page and queues the next before it pushes its own, so the pages
    /// spread over every instance's workers. Still read and validated, so an existing configuration starts as before.
    /// </summary>
    public int BackfillPagesPerJob { get; set; } = 10;

    /// <summary>Customers of one page pushed to Omneo at the same time.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// How long the delta's or the backfill's lease lasts without renewal, in seconds. A running job renews it every
    /// third of this, so it only bounds how long a crashed holder keeps others waiting.
    /// </summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How long stored Omneo webhook deliveries (and so their dedupe keys) are kept, in days; a daily job purges older ones.</summary>
    public int WebhookRetentionDays { get; set; } = 7;

    /// <summary>SFCC custom attributes synced to Omneo <c>custom_fields</c>: <c>c_attribute</c> → custom field key.</summary>
    public Dictionary<string, string> CustomAttributes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Who wins a field both sides changed between two syncs: <c>Sfcc</c>, <c>Omneo</c> or <c>Newer</c> (the later
    /// change, by SFCC last_modified and Omneo updated_at). Keys are mapped field names; a trailing <c>*</c> matches a
    /// prefix. Unlisted fields: <see cref="DefaultOwner"/>.
    /// </summary>
    public Dictionary<string, string> FieldOwners { get; set; } = new(StringComparer.Ordinal)
    {
        ["email"] = nameof(FieldOwner.Sfcc),
        ["custom_fields.marketing_*"] = nameof(FieldOwner.Omneo),
        ["custom_fields.loyalty_*"] = nameof(FieldOwner.Omneo),
    };

    /// <summary>The owner of fields not listed in <see cref="FieldOwners"/>.</summary>
    public string DefaultOwner { get; set; } = nameof(FieldOwner.Newer);

    /// <summary>The owner of <paramref name="field"/>; the validator has made sure every configured name is a <see cref="FieldOwner"/>.</summary>
    internal FieldOwner OwnerOf(string field) => Enum.Parse<FieldOwner>(OwnerEntryOf(field)?.Value ?? DefaultOwner, ignoreCase: false);

    /// <summary>The <see cref="FieldOwners"/> entry that decides <paramref name="field"/>: its exact key, else the longest matching prefix; null when none does.</summary>
    internal KeyValuePair<string, string>? OwnerEntryOf(string field)
    {
        if (FieldOwners.TryGetValue(field, out var exact))
        {
            return new KeyValuePair<string, string>(field, exact);
        }

        return FieldOwners.Where(o => o.Key.EndsWith('*') && field.StartsWith(o.Key[..^1], StringComparison.Ordinal))
            .OrderByDescending(o => o.Key.Length)
            .Select(o => (KeyValuePair<string, string>?)o)
            .FirstOrDefault();
    }
}

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
        errors.RequireRange(nameof(options.BackfillPagesPerJob), options.BackfillPagesPerJob, 1, 1_000);
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
