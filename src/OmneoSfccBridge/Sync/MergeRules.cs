using OmneoSfccBridge.Profiles;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// What decides a field besides its three values. <paramref name="OwnerOf"/> is <see cref="SyncOptions.FieldOwners"/>;
/// <paramref name="IsSfccOwned"/> is <see cref="ProfileMapping.IsSfccOwned"/>; <paramref name="EmailWithheld"/>: the
/// link keeps the email out of Omneo (another profile has it). The change times are SFCC's last_modified and Omneo's
/// updated_at (null when unknown), used by <see cref="FieldOwner.Newer"/>.
/// </summary>
internal sealed record MergeRules(
    Func<string, FieldOwner> OwnerOf,
    Func<string, bool> IsSfccOwned,
    bool EmailWithheld,
    DateTimeOffset? SfccChangedAt,
    DateTimeOffset? OmneoChangedAt)
{
    /// <summary>Whether <paramref name="field"/> stays out of Omneo: the email while the link waits for a verified email.</summary>
    public bool Withheld(string field) => Withheld(EmailWithheld, field);

    /// <summary>Whether <paramref name="field"/> stays out of Omneo for a link with <paramref name="emailWithheld"/>.</summary>
    public static bool Withheld(bool emailWithheld, string field) => emailWithheld && field == "email";
}
