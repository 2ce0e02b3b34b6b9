using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Sync;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>Which side changed a field since the state both last agreed on ("b").</summary>
public enum Change
{
    /// <summary>SFCC "b", Omneo "b".</summary>
    None,

    /// <summary>SFCC "s", Omneo "b".</summary>
    SfccOnly,

    /// <summary>SFCC "b", Omneo "o".</summary>
    OmneoOnly,

    /// <summary>SFCC "x", Omneo "x".</summary>
    BothSame,

    /// <summary>SFCC "s", Omneo "o".</summary>
    BothDifferent,
}

/// <summary>
/// The three-way merge, field owner by changed side. The configuration is the shipped one (email SFCC's, marketing
/// fields Omneo's, the rest the newer change) plus first_name owned by SFCC; login and the verified attribute are
/// configured as Omneo's here on purpose, to show SFCC's own fields ignore what the owners say.
/// </summary>
public sealed class FieldMergeTests
{
    private const string VerifiedAttribute = "c_emailVerified";
    private const string VerifiedField = "custom_fields.email_verified";

    private static readonly Dictionary<string, string> CustomAttributes = new(StringComparer.Ordinal)
    {
        [VerifiedAttribute] = "email_verified",
        ["c_marketingOptIn"] = "marketing_opt_in",
    };

    private static readonly SyncOptions Options = new()
    {
        CustomAttributes = CustomAttributes,
        FieldOwners =
        {
            ["first_name"] = "Sfcc",
            ["login"] = "Omneo",
            [VerifiedField] = "Omneo",
        },
    };

    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // Owned by SFCC through Sync:FieldOwners.
    [InlineData("first_name", Change.None, "b", "Nothing", null)]
    [InlineData("first_name", Change.SfccOnly, "s", "WriteToOmneo", null)]
    [InlineData("first_name", Change.OmneoOnly, "o", "WriteToSfcc", null)]
    [InlineData("first_name", Change.BothSame, "x", "Nothing", null)]
    [InlineData("first_name", Change.BothDifferent, "s", "WriteToOmneo", "sfcc/owner")]
    // Owned by Omneo (custom_fields.marketing_* in the shipped configuration).
    [InlineData("custom_fields.marketing_opt_in", Change.None, "b", "Nothing", null)]
    [InlineData("custom_fields.marketing_opt_in", Change.SfccOnly, "s", "WriteToOmneo", null)]
    [InlineData("custom_fields.marketing_opt_in", Change.OmneoOnly, "o", "WriteToSfcc", null)]
    [InlineData("custom_fields.marketing_opt_in", Change.BothSame, "x", "Nothing", null)]
    [InlineData("custom_fields.marketing_opt_in", Change.BothDifferent, "o", "WriteToSfcc", "omneo/owner")]
    // SFCC's own fields: an Omneo change is a conflict SFCC wins, and SFCC's value goes back to Omneo.
    [InlineData("email", Change.None, "b", "Nothing", null)]
    [InlineData("email", Change.SfccOnly, "s", "WriteToOmneo", null)]
    [InlineData("email", Change.OmneoOnly, "b", "WriteToOmneo", "sfcc/owner")]
    [InlineData("email", Change.BothSame, "x", "Nothing", null)]
    [InlineData("email", Change.BothDifferent, "s", "WriteToOmneo", "sfcc/owner")]
    [InlineData("login", Change.None, "b", "Nothing", null)]
    [InlineData("login", Change.SfccOnly, "s", "WriteToOmneo", null)]
    [InlineData("login", Change.OmneoOnly, "b", "WriteToOmneo", "sfcc/owner")]
    [InlineData("login", Change.BothSame, "x", "Nothing", null)]
    [InlineData("login", Change.BothDifferent, "s", "WriteToOmneo", "sfcc/owner")]
    [InlineData(VerifiedField, Change.None, "b", "Nothing", null)]
    [InlineData(VerifiedField, Change.SfccOnly, "s", "WriteToOmneo", null)]
    [InlineData(VerifiedField, Change.OmneoOnly, "b", "WriteToOmneo", "sfcc/owner")]
    [InlineData(VerifiedField, Change.BothSame, "x", "Nothing", null)]
    [InlineData(VerifiedField, Change.BothDifferent, "s", "WriteToOmneo", "sfcc/owner")]
    [InlineData(VerifiedAttribute, Change.OmneoOnly, "b", "WriteToOmneo", "sfcc/owner")]
    public void Merge_OwnedField_DecidesByOwnerAndChangedSide(string field, Change change, string agreed, string action, string? conflict) =>
        AssertDecision(Decide(field, change, sfccChangedAt: Noon, omneoChangedAt: Noon.AddSeconds(5)), field, agreed, action, conflict);

    [Theory]
    [InlineData(5, 0, Change.None, "b", "Nothing", null)]
    [InlineData(5, 0, Change.SfccOnly, "s", "WriteToOmneo", null)]
    [InlineData(5, 0, Change.OmneoOnly, "o", "WriteToSfcc", null)]
    [InlineData(5, 0, Change.BothSame, "x", "Nothing", null)]
    [InlineData(5, 0, Change.BothDifferent, "s", "WriteToOmneo", "sfcc/newer")]
    [InlineData(0, 5, Change.None, "b", "Nothing", null)]
    [InlineData(0, 5, Change.SfccOnly, "s", "WriteToOmneo", null)]
    [InlineData(0, 5, Change.OmneoOnly, "o", "WriteToSfcc", null)]
    [InlineData(0, 5, Change.BothSame, "x", "Nothing", null)]
    [InlineData(0, 5, Change.BothDifferent, "o", "WriteToSfcc", "omneo/newer")]
    public void Merge_NewerOwnedField_TheLaterChangeWinsAConflict(int sfccSecond, int omneoSecond, Change change, string agreed, string action, string? conflict) =>
        AssertDecision(Decide("last_name", change, Noon.AddSeconds(sfccSecond), Noon.AddSeconds(omneoSecond)), "last_name", agreed, action, conflict);

    [Fact]
    public void Merge_NewerOwnedFieldChangedInTheSameSecond_OmneoWinsSoAnEditIsNotLostToRounding()
    {
        // Omneo's updated_at has whole seconds: SFCC's 12:00:00.700 is cut to 12:00:00, no later than Omneo's.
        var decision = Decide("last_name", Change.BothDifferent, sfccChangedAt: Noon.AddMilliseconds(700), omneoChangedAt: Noon);

        AssertDecision(decision, "last_name", "o", "WriteToSfcc", "omneo/newer");
    }

    [Fact]
    public void Merge_NewerOwnedFieldWithNoChangeTimes_OmneoWins() =>
        AssertDecision(Decide("last_name", Change.BothDifferent, sfccChangedAt: null, omneoChangedAt: null), "last_name", "o", "WriteToSfcc", "omneo/newer");

    [Theory]
    [InlineData(Change.None, "b")]
    [InlineData(Change.SfccOnly, "s")]
    [InlineData(Change.OmneoOnly, "b")]
    [InlineData(Change.BothSame, "x")]
    [InlineData(Change.BothDifferent, "s")]
    public void Merge_WithheldEmail_KeepsSfccsValueWithoutWriteOrConflict(Change change, string agreed) =>
        AssertDecision(Decide("email", change, Noon, Noon, emailWithheld: true), "email", agreed, "Nothing", null);

    [Fact]
    public void Merge_WithheldEmailOmneoNeverHad_AgreesOnSfccsEmailWithoutWritingIt()
    {
        var decision = Assert.Single(FieldMerge.Merge(State("email", "ann@example.com"), new ProfileState(), State("email", "ann@example.com"), Rules(Noon, Noon, emailWithheld: true)));

        AssertDecision(decision, "email", "ann@example.com", "Nothing", null);
    }

    [Fact]
    public void Merge_WithheldLink_OnlyTheEmailIsKeptOut()
    {
        var decision = Decide("first_name", Change.SfccOnly, Noon, Noon, emailWithheld: true);

        AssertDecision(decision, "first_name", "s", "WriteToOmneo", null);
    }

    [Theory]
    // Before the first sync nothing was agreed: a disagreement is decided by the owner, but it is not a conflict.
    [InlineData("first_name", "s", "o", "s", "WriteToOmneo")]
    [InlineData("custom_fields.marketing_opt_in", "s", "o", "o", "WriteToSfcc")]
    [InlineData("last_name", "s", "o", "o", "WriteToSfcc")]
    [InlineData("email", "s", "o", "s", "WriteToOmneo")]
    [InlineData("login", "s", "o", "s", "WriteToOmneo")]
    [InlineData(VerifiedField, "s", "o", "s", "WriteToOmneo")]
    // A value only one side has fills the other, whoever owns the field (SFCC's own fields excepted).
    [InlineData("first_name", null, "o", "o", "WriteToSfcc")]
    [InlineData("custom_fields.marketing_opt_in", "s", null, "s", "WriteToOmneo")]
    [InlineData("email", null, "o", null, "Nothing")]
    [InlineData("email", "s", null, "s", "WriteToOmneo")]
    [InlineData("first_name", "same", "same", "same", "Nothing")]
    public void Merge_FirstSync_DecidesByOwnerWithoutRecordingAConflict(string field, string? sfcc, string? omneo, string? agreed, string action)
    {
        var decision = Assert.Single(FieldMerge.Merge(State(field, sfcc), State(field, omneo), agreed: null, Rules(Noon, Noon.AddSeconds(5))));

        AssertDecision(decision, field, agreed, action, null);
    }

    [Fact]
    public void Merge_SfccClearedAField_AgreesOnEmptyWithoutWritingOmneo()
    {
        // Omneo cannot clear a field: the agreed state says empty, Omneo keeps what it has.
        var decision = Assert.Single(FieldMerge.Merge(new ProfileState(), State("first_name", "b"), State("first_name", "b"), Rules(Noon, Noon)));

        AssertDecision(decision, "first_name", null, "Nothing", null);
    }

    [Fact]
    public void Merge_OmneoClearedAField_ClearsItInSfcc()
    {
        var decision = Assert.Single(FieldMerge.Merge(State("last_name", "b"), new ProfileState(), State("last_name", "b"), Rules(Noon, Noon)));

        AssertDecision(decision, "last_name", null, "WriteToSfcc", null);
    }

    [Fact]
    public void Merge_SeveralFields_DecidesEveryFieldOfEitherSideOrTheAgreedState()
    {
        var sfcc = new ProfileState();
        sfcc.Set("first_name", "Ann");
        sfcc.Set("last_name", "Lee");
        var omneo = new ProfileState();
        omneo.Set("first_name", "Ann");
        omneo.Set("custom_fields.marketing_opt_in", "true");
        var agreed = new ProfileState();
        agreed.Set("first_name", "Ann");
        agreed.Set("gender", "2");

        var decisions = FieldMerge.Merge(sfcc, omneo, agreed, Rules(Noon, Noon));

        Assert.Equal(
            [
                ("first_name", "Ann", FieldAction.Nothing),
                ("last_name", "Lee", FieldAction.WriteToOmneo),
                ("custom_fields.marketing_opt_in", "true", FieldAction.WriteToSfcc),
                ("gender", null, FieldAction.Nothing),
            ],
            decisions.Select(d => (d.Field, d.Agreed, d.Action)));
        Assert.All(decisions, d => Assert.Null(d.Conflict));
    }

    private static FieldDecision Decide(string field, Change change, DateTimeOffset? sfccChangedAt, DateTimeOffset? omneoChangedAt, bool emailWithheld = false)
    {
        var (sfcc, omneo) = change switch
        {
            Change.None => ("b", "b"),
            Change.SfccOnly => ("s", "b"),
            Change.OmneoOnly => ("b", "o"),
            Change.BothSame => ("x", "x"),
            _ => ("s", "o"),
        };
        return Assert.Single(FieldMerge.Merge(State(field, sfcc), State(field, omneo), State(field, "b"), Rules(sfccChangedAt, omneoChangedAt, emailWithheld)));
    }

    private static MergeRules Rules(DateTimeOffset? sfccChangedAt, DateTimeOffset? omneoChangedAt, bool emailWithheld = false) =>
        new(Options.OwnerOf, f => ProfileMapping.IsSfccOwned(f, CustomAttributes, VerifiedAttribute), emailWithheld, sfccChangedAt, omneoChangedAt);

    private static ProfileState State(string field, string? value)
    {
        var state = new ProfileState();
        state.Set(field, value);
        return state;
    }

    private static void AssertDecision(FieldDecision decision, string field, string? agreed, string action, string? conflict)
    {
        Assert.Equal(field, decision.Field);
        Assert.Equal(agreed, decision.Agreed);
        Assert.Equal(action, decision.Action.ToString());
        Assert.Equal(conflict, decision.Conflict is { } c ? $"{c.WinnerName}/{c.RuleName}" : null);
    }
}
