using OmneoSfccBridge.Profiles;

namespace OmneoSfccBridge.Sync;

/// <summary>Who wins a field both sides changed, as <see cref="SyncOptions.FieldOwners"/> names it (the names are the configuration values).</summary>
internal enum FieldOwner
{
    Sfcc,
    Omneo,

    /// <summary>The later change, by SFCC last_modified and Omneo updated_at.</summary>
    Newer,
}

/// <summary>The side whose value a conflict kept.</summary>
internal enum ConflictWinner
{
    Sfcc,
    Omneo,
}

/// <summary>Why a conflict went the way it did.</summary>
internal enum ConflictRule
{
    /// <summary>The field's owner (<see cref="SyncOptions.FieldOwners"/>, or SFCC for its own security fields).</summary>
    Owner,

    /// <summary>The later change (<see cref="FieldOwner.Newer"/>).</summary>
    Newer,
}

/// <summary>What the sync writes for one field after the merge.</summary>
internal enum FieldAction
{
    /// <summary>Both sides hold the agreed value already, or it may not be written (Omneo cannot clear a field; a withheld email).</summary>
    Nothing,

    WriteToOmneo,

    WriteToSfcc,
}

/// <summary>Both sides changed a field since the agreed state (or SFCC's own field changed in Omneo): who won, by which rule.</summary>
internal sealed record FieldConflict(ConflictWinner Winner, ConflictRule Rule)
{
    /// <summary>The winner as stored in <c>sync_conflicts.winner</c> and logged.</summary>
    public string WinnerName => Winner == ConflictWinner.Sfcc ? "sfcc" : "omneo";

    /// <summary>The rule as stored in <c>sync_conflicts.rule</c> and logged.</summary>
    public string RuleName => Rule == ConflictRule.Owner ? "owner" : "newer";
}

/// <summary>The merge's answer for one field: the value both sides agree on afterwards (null: empty), what to write, and the conflict to record.</summary>
internal sealed record FieldDecision(string Field, string? Agreed, FieldAction Action, FieldConflict? Conflict);

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

/// <summary>
/// The three-way merge of one customer's two records against the last state both agreed on, field by field; a pure
/// function of its inputs. A field only one side changed takes that change; a field both changed (or, on a first sync
/// with no agreed state, a field they disagree on) is decided by its owner, and recorded as a conflict when there was an
/// agreed state to differ from. SFCC's own fields (<see cref="MergeRules.IsSfccOwned"/>) keep SFCC's value whatever
/// the owners say: an Omneo change to them is a conflict SFCC wins, and SFCC's value is written back to Omneo. A
/// withheld email keeps SFCC's value as the agreed one, without a conflict and without a write.
/// </summary>
internal static class FieldMerge
{
    /// <summary>One decision per field either side or the agreed state has, in field order.</summary>
    public static IReadOnlyList<FieldDecision> Merge(ProfileState sfcc, ProfileState omneo, ProfileState? agreed, MergeRules rules) =>
        [.. sfcc.Keys.Concat(omneo.Keys).Concat(agreed?.Keys ?? []).Distinct(StringComparer.Ordinal)
            .Select(field => Decide(field, sfcc.Get(field), omneo.Get(field), agreed is null ? null : new Agreed(agreed.Get(field)), rules))];

    /// <summary>The value of the last agreed state; the wrapper tells "agreed on empty" from "never agreed".</summary>
    private readonly record struct Agreed(string? Value);

    private static FieldDecision Decide(string field, string? s, string? o, Agreed? agreed, MergeRules rules)
    {
        var (value, conflict) = Resolve(field, s, o, agreed, rules);
        var action = value != s && !rules.IsSfccOwned(field) ? FieldAction.WriteToSfcc
            : value != o && value is not null && !rules.Withheld(field) ? FieldAction.WriteToOmneo
            : FieldAction.Nothing;
        return new FieldDecision(field, value, action, agreed is null ? null : conflict);
    }

    private static (string? Value, FieldConflict? Conflict) Resolve(string field, string? s, string? o, Agreed? agreed, MergeRules rules)
    {
        if (s == o || (agreed is { } unchangedInOmneo && o == unchangedInOmneo.Value))
        {
            return (s, null);
        }

        if (rules.Withheld(field))
        {
            // Omneo lacks the email on purpose (another profile has it): SFCC's stays the agreed value, no conflict.
            return (s, null);
        }

        if (rules.IsSfccOwned(field))
        {
            // Omneo changed a field SFCC's account security rests on (or, on a first sync, disagrees): SFCC's value
            // stays and is written back to Omneo, whatever Sync:FieldOwners says.
            return (s, new FieldConflict(ConflictWinner.Sfcc, ConflictRule.Owner));
        }

        if (agreed is { } unchangedInSfcc && s == unchangedInSfcc.Value)
        {
            return (o, null);
        }

        var conflict = Winner(field, rules);
        return (conflict.Winner == ConflictWinner.Sfcc ? s ?? o : o ?? s, conflict);
    }

    private static FieldConflict Winner(string field, MergeRules rules)
    {
        switch (rules.OwnerOf(field))
        {
            case FieldOwner.Sfcc:
                return new FieldConflict(ConflictWinner.Sfcc, ConflictRule.Owner);
            case FieldOwner.Omneo:
                return new FieldConflict(ConflictWinner.Omneo, ConflictRule.Owner);
            default:
                // Omneo's updated_at has whole seconds, so SFCC's time is cut to the second too; within the same second
                // the Omneo change may be the later one, and it wins, so an edit is never lost to a rounding.
                var omneoChanged = rules.OmneoChangedAt ?? DateTimeOffset.MinValue;
                var sfccChanged = rules.SfccChangedAt is { } m ? DateTimeOffset.FromUnixTimeSeconds(m.ToUnixTimeSeconds()) : DateTimeOffset.MinValue;
                return new FieldConflict(sfccChanged > omneoChanged ? ConflictWinner.Sfcc : ConflictWinner.Omneo, ConflictRule.Newer);
        }
    }
}
