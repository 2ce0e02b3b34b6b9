namespace OmneoSfccBridge.Sync;

/// <summary>Both sides changed a field since the agreed state (or SFCC's own field changed in Omneo): who won, by which rule.</summary>
internal sealed record FieldConflict(ConflictWinner Winner, ConflictRule Rule)
{
    /// <summary>The winner as stored in <c>sync_conflicts.winner</c> and logged.</summary>
    public string WinnerName => Winner == ConflictWinner.Sfcc ? "sfcc" : "omneo";

    /// <summary>The rule as stored in <c>sync_conflicts.rule</c> and logged.</summary>
    public string RuleName => Rule == ConflictRule.Owner ? "owner" : "newer";
}
