using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Profiles;

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
