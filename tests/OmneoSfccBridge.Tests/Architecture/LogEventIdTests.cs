using System.Reflection;

namespace OmneoSfccBridge.Tests.Architecture;

/// <summary>
/// Every <c>[LoggerMessage]</c> of the service has its own event id, from its folder's range, so an id found in a log
/// store names one message and the feature that wrote it.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>The event id ranges per folder (inclusive).</summary>
    internal static readonly Dictionary<string, (int From, int To)[]> Ranges = new()
    {
        ["CustomerAuth"] = [(1000, 1299)],
        ["Sync"] = [(1300, 1499), (1700, 1799)],
        ["CustomerRegistration"] = [(1500, 1599)],
        ["Webhooks"] = [(1600, 1699)],
        ["Storage"] = [(1800, 1899)],
        ["Profiles"] = [(1900, 1999)],
        ["Upstreams"] = [(2000, 2099)],
        ["Observability"] = [(2100, 2199)],
        ["Operations"] = [(2200, 2299)],
        ["Admin"] = [(2300, 2399)],
        ["Limits"] = [(2400, 2499)],
        ["BrowserCallers"] = [(2500, 2599)],
    };

    [Fact]
    public void Every_log_message_has_its_own_event_id()
    {
        var repeated = Messages().GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();

        Assert.True(repeated.Count == 0, "Event ids used more than once:\n" + string.Join("\n", repeated));
    }

    [Fact]
    public void Every_log_message_takes_its_event_id_from_its_folders_range()
    {
        var messages = Messages();
        var outside = messages
            .Where(m => !Ranges.TryGetValue(m.Folder, out var ranges) || !ranges.Any(r => m.Id >= r.From && m.Id <= r.To))
            .Select(m => $"{m.Method} ({m.Folder}): {m.Id}").ToList();

        Assert.NotEmpty(messages);
        Assert.True(outside.Count == 0, $"Event ids outside their folder's range (see {nameof(Ranges)}):\n" + string.Join("\n", outside));
    }

    private static List<(int Id, string Folder, string Method)> Messages() =>
        (from type in typeof(Program).Assembly.GetTypes()
         where type.Namespace?.StartsWith("OmneoSfccBridge.", StringComparison.Ordinal) == true
         from method in type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
         let message = method.GetCustomAttribute<Microsoft.Extensions.Logging.LoggerMessageAttribute>()
         where message is not null
         select (message.EventId, type.Namespace!["OmneoSfccBridge.".Length..].Split('.')[0], $"{type.Name}.{method.Name}")).ToList();
}
