using OmneoSfccBridge.Profiles;

namespace OmneoSfccBridge.Sync;

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
