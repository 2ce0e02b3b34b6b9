using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.CustomerAuth;

internal sealed class CustomerAuthOptionsValidator : IValidateOptions<CustomerAuthOptions>
{
    private static readonly HashSet<string> Supported = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];

    public ValidateOptionsResult Validate(string? name, CustomerAuthOptions options)
    {
        var errors = new ConfigErrors(CustomerAuthOptions.SectionName);
        errors.RequireRange(nameof(options.ClockSkewSeconds), options.ClockSkewSeconds, 0, 60);
        errors.RequireRange(nameof(options.MaxTokenBytes), options.MaxTokenBytes, 256, 16_384);
        errors.RequireRange(nameof(options.MaxTokenLifetimeSeconds), options.MaxTokenLifetimeSeconds, 1800, 604_800);
        errors.RequireRange(nameof(options.MaxVerdictSeconds), options.MaxVerdictSeconds, 0, 3600);
        errors.RequireRange(nameof(options.RejectedTokenCacheSeconds), options.RejectedTokenCacheSeconds, 0, 3600);
        errors.RequireRange(nameof(options.VerdictCacheEntries), options.VerdictCacheEntries, 100, 10_000_000);
        errors.RequireRange(nameof(options.LinkCacheSeconds), options.LinkCacheSeconds, 0, 300);
        errors.RequireRange(nameof(options.LoginPermitsPerMinute), options.LoginPermitsPerMinute, 0, 1_000_000);
        errors.RequireRange(nameof(options.LoginAttemptsPerAccountPerMinute), options.LoginAttemptsPerAccountPerMinute, 0, 1000);
        if (options.OcapiAlgorithms.Length == 0)
        {
            errors.Add(nameof(options.OcapiAlgorithms), "must name at least one algorithm.");
        }

        foreach (var alg in options.OcapiAlgorithms.Where(a => !Supported.Contains(a)))
        {
            errors.Add(nameof(options.OcapiAlgorithms), $"'{alg}' is not an accepted signing algorithm (none is never accepted).");
        }

        return errors.ToResult();
    }
}
