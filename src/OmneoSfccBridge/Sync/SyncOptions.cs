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
