using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Operations;

/// <summary>
/// Checks every validated option before the host starts, so a bridge started without (or with wrong) configuration
/// prints one list of what to fix, once, and exits with 1, instead of the host's exception dump with each problem
/// repeated for every component that read the section.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>True when the configuration is valid; otherwise writes the problems to standard error.</summary>
    public static bool ConfigurationIsValid(this WebApplication app)
    {
        var validator = app.Services.GetService<IStartupValidator>();
        try
        {
            validator?.Validate();
            return true;
        }
        catch (Exception ex) when (Problems(ex).Count > 0)
        {
            var problems = Problems(ex);
            Console.Error.WriteLine($"""
                The bridge cannot start: {problems.Count} configuration {(problems.Count == 1 ? "problem" : "problems")}.
                {string.Join(Environment.NewLine, problems.Select(p => "  - " + p))}
                Set each as an environment variable (Section__Key) or in appsettings.json; README.md, "Configuration", lists
                every key with an example. To try the bridge without SFCC and Omneo, run the sandbox instead:
                  dotnet run --project src/OmneoSfccBridge -- --sandbox
                """);
            return false;
        }
    }

    /// <summary>Every distinct configuration problem in <paramref name="exception"/>, in the order first reported.</summary>
    private static List<string> Problems(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures.SelectMany(f => f.Split("; ", StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)],
        AggregateException many => [.. many.InnerExceptions.SelectMany(Problems).Distinct(StringComparer.Ordinal)],

        // A value the binder cannot convert (e.g. an enum outside its names) names the key in its message.
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [message],
        _ => [],
    };
}
