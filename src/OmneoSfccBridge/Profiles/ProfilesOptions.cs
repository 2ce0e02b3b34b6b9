using System.Text.Json;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Profiles;

/// <summary>How SFCC customers are matched to Omneo profiles.</summary>
public sealed class ProfilesOptions
{
    public const string SectionName = "Profiles";

    /// <summary>When an email match may link a customer to an earlier Omneo profile (default <see cref="EmailMatchPolicy.Verified"/>).</summary>
    public EmailMatchPolicy EmailMatch { get; set; } = EmailMatchPolicy.Verified;

    /// <summary>
    /// The boolean SFCC customer attribute (e.g. <c>c_emailVerified</c>) that the storefront's own verification flow
    /// sets once the shopper proved they own the email. Unset: <see cref="EmailMatchPolicy.Verified"/> never links by email.
    /// </summary>
    public string? EmailVerifiedAttribute { get; set; }

    /// <summary>Whether <paramref name="customer"/> may be linked to an earlier profile that only shares the email.</summary>
    internal bool AllowsEmailLink(SfccCustomer customer) => EmailMatch switch
    {
        EmailMatchPolicy.Always => true,
        EmailMatchPolicy.Verified => IsEmailVerified(customer),
        _ => false,
    };

    /// <summary>True only for a JSON <c>true</c> in the configured attribute: a string "true" or a missing attribute is not verified.</summary>
    internal bool IsEmailVerified(SfccCustomer customer) =>
        EmailVerifiedAttribute is { Length: > 0 } attribute
        && customer.Extra is { } extra
        && extra.TryGetValue(attribute, out var value)
        && value.ValueKind == JsonValueKind.True;

    /// <summary>Why an email match was not linked under this policy, for the candidate record.</summary>
    internal string WhyNotLinked(SfccCustomer customer) => EmailMatch switch
    {
        EmailMatchPolicy.Never => "email matching is off (Profiles__EmailMatch=Never)",
        _ when EmailVerifiedAttribute is not { Length: > 0 } => "email not verified (no Profiles__EmailVerifiedAttribute configured)",
        _ when !IsEmailVerified(customer) => $"email not verified ({EmailVerifiedAttribute} is not true)",
        _ => "not linked",
    };
}
