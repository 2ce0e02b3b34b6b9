namespace OmneoSfccBridge.Profiles;

/// <summary>How a link was made (stored in <c>customer_links.match_source</c>, and the audit action <c>link.{source}</c>).</summary>
internal static class MatchSource
{
    /// <summary>The profile already held the customer's SFCC identity.</summary>
    public const string Identity = "identity";

    /// <summary>A free profile shared the email, and the email policy allowed linking by it.</summary>
    public const string Email = "email";

    /// <summary>The bridge created the profile for the customer.</summary>
    public const string Created = "created";

    /// <summary>A withheld link completed once the email was verified: the customer's own profile was merged into the earlier one.</summary>
    public const string EmailVerified = "email-verified";

    /// <summary>Omneo merged the customer's profile into another one, which the link follows.</summary>
    public const string Merge = "merge";
}
