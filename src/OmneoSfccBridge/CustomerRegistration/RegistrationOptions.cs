using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>How much registration work one bridge instance takes on at once.</summary>
public sealed class RegistrationOptions
{
    public const string SectionName = "Registration";

    /// <summary>
    /// <c>/create</c> requests processed at once by this instance; as many more wait in line, the rest get 503. Each
    /// one may hold two database connections (its login and email locks) while SFCC and Omneo answer, so this bounds
    /// how much of the connection pool slow upstreams can take.
    /// </summary>
    public int MaxConcurrent { get; set; } = 16;
}

internal sealed class RegistrationOptionsValidator : IValidateOptions<RegistrationOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistrationOptions options)
    {
        var errors = new ConfigErrors(RegistrationOptions.SectionName);
        errors.RequireRange(nameof(options.MaxConcurrent), options.MaxConcurrent, 1, 1000);
        return errors.ToResult();
    }
}
