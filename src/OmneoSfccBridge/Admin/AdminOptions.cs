using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Admin;

/// <summary>Access to the bridge's admin surfaces (/admin, /hangfire).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The key callers send as <c>X-Admin-Key</c>; at least 24 characters.</summary>
    public string ApiKey { get; set; } = "";
}

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new ConfigErrors(AdminOptions.SectionName);
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            errors.Add(nameof(options.ApiKey), "is required (a random string of at least 24 characters).");
        }
        else if (options.ApiKey.Length < 24)
        {
            errors.Add(nameof(options.ApiKey), "must be at least 24 characters long.");
        }

        return errors.ToResult();
    }
}
