using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Operations;

/// <summary>
/// A bridge started without (or with wrong) configuration prints one list of what to fix, once, and exits with 1,
/// instead of the host's exception dump with each problem repeated for every component that read the section.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>
    /// The host's own logger category for start-up failures: its "Hosting failed to start" line would repeat the
    /// configuration problems as an exception dump. Other failures still surface, as the unhandled exception.
    /// </summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>
    /// Writes the configuration problems in <paramref name="exception"/> to standard error, once each, with how to fix
    /// them; false (nothing written) when it is not a configuration failure.
    /// </summary>
    public static bool Report(Exception exception)
    {
        // Only as the process's own program (the bridge, or the sandbox host built on it): hosted by a test's
        // WebApplicationFactory the exception must reach the test.
        var problems = Problems(exception);
        if (problems.Count == 0 || !RunsAsOwnProcess())
        {
            return false;
        }

        Console.Error.WriteLine($"""
            The bridge cannot start: {problems.Count} configuration {(problems.Count == 1 ? "problem" : "problems")}.
            {string.Join(Environment.NewLine, problems.Select(p => "  - " + p))}
            Set each as an environment variable (Section__Key) or in appsettings.json; README.md, "Configuration", lists
            every key with an example. To try the bridge without SFCC and Omneo, run the sandbox instead:
              dotnet run --project src/OmneoSfccBridge.Sandbox
            """);
        return true;
    }

    private static bool RunsAsOwnProcess()
    {
        var bridge = typeof(Program).Assembly;
        var entry = System.Reflection.Assembly.GetEntryAssembly();
        return entry == bridge || (entry?.GetReferencedAssemblies().Any(a => a.Name == bridge.GetName().Name) ?? false);
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
