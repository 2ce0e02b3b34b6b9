namespace OmneoSfccBridge.Profiles;

/// <summary>How SFCC customers are matched to Omneo profiles, and which SFCC attribute says an email is verified.</summary>
public sealed class ProfilesOptions
{
    public const string SectionName = "Profiles";

    /// <summary>When a profile found by email alone may be linked.</summary>
    public EmailMatchPolicy EmailMatch { get; set; } = EmailMatchPolicy.Verified;

    /// <summary>The SFCC custom attribute (e.g. <c>c_emailVerified</c>) that says the customer's email is verified; SFCC's own, never written from Omneo.</summary>
    public string? EmailVerifiedAttribute { get; set; }
}

/// <summary>When a profile found by email alone may be linked.</summary>
public enum EmailMatchPolicy
{
    Verified,
    Always,
    Never,
}
