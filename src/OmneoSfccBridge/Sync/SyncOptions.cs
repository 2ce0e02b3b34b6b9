using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Sync;

/// <summary>How SFCC and Omneo customer records are kept in step.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>A login refreshes the customer's Omneo profile at most this often, in minutes (0: at every login).</summary>
    public int LoginRefreshIntervalMinutes { get; set; } = 15;
}

internal sealed class SyncOptionsValidator : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var errors = new ConfigErrors(SyncOptions.SectionName);
        errors.RequireRange(nameof(options.LoginRefreshIntervalMinutes), options.LoginRefreshIntervalMinutes, 0, 10_080);
        return errors.ToResult();
    }
}
