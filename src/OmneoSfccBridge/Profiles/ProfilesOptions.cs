using System.Text.Json;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Profiles;

/// <summary>When an SFCC customer may be linked to an existing Omneo profile because they share an email.</summary>
public enum EmailMatchPolicy
{
    /// <summary>Only when SFCC says the customer's email is verified (<see cref="ProfilesOptions.EmailVerifiedAttribute"/> is true).</summary>
    Verified,

    /// <summary>Always: for storefronts that verify every email before an account exists. Anyone who can register with someone else's email gets their profile otherwise.</summary>
    Always,

    /// <summary>Never: only the SFCC identity links; email matches are recorded as candidates for support.</summary>
    Never,
}

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

internal sealed class ProfilesOptionsValidator : IValidateOptions<ProfilesOptions>
{
    public ValidateOptionsResult Validate(string? name, ProfilesOptions options)
    {
        var errors = new ConfigErrors(ProfilesOptions.SectionName);
        if (!Enum.IsDefined(options.EmailMatch))
        {
            errors.Add(nameof(options.EmailMatch), "must be Verified, Always or Never.");
        }

        if (options.EmailVerifiedAttribute is { Length: > 0 } attribute && (!attribute.StartsWith("c_", StringComparison.Ordinal) || attribute.Length < 3))
        {
            errors.Add(nameof(options.EmailVerifiedAttribute), $"must name an SFCC custom attribute (c_…), was '{attribute}'.");
        }

        return errors.ToResult();
    }
}

internal static class ProfilesExtensions
{
    /// <summary>The profile-matching policy and the linker that applies it.</summary>
    public static IServiceCollection AddProfiles(this IServiceCollection services)
    {
        services.AddOptions<ProfilesOptions>().BindConfiguration(ProfilesOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProfilesOptions>, ProfilesOptionsValidator>();
        services.AddSingleton<LinkCandidates>();
        services.AddSingleton<ProfileLinker>();
        return services;
    }
}
