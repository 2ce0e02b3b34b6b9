using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Observability;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Observability;

/// <summary>deploy/grafana/omneo-sfcc-bridge.json is a dashboard over instruments the bridge really has.</summary>
public sealed partial class DashboardTests
{
    // Prometheus names: dots become underscores, then the unit (_seconds) and type (_total, _bucket, _count, _sum) suffixes.
    private static readonly string[] Suffixes = ["", "_total", "_bucket", "_count", "_sum", "_seconds", "_seconds_bucket", "_seconds_count", "_seconds_sum"];

    [GeneratedRegex(@"\bbridge_[a-z0-9_]+")]
    private static partial Regex BridgeMetricName();

    /// <summary>The names of the instruments on the bridge's meter, as a <see cref="MeterListener"/> sees them published.</summary>
    private static HashSet<string> InstrumentNames()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _ = new BridgeMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        var names = new HashSet<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == BridgeMetrics.MeterName && instrument.Meter.Scope == services.GetRequiredService<IMeterFactory>())
                {
                    names.Add(instrument.Name);
                }
            },
        };
        listener.Start();
        return names;
    }

    [Fact]
    public void Dashboard_IsValidJsonAndQueriesOnlyTheBridgesInstruments()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "deploy", "grafana", "omneo-sfcc-bridge.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
        var instruments = InstrumentNames().Select(name => name.Replace('.', '_')).ToList();

        Assert.NotEmpty(expressions);
        Assert.Contains("bridge.logins", InstrumentNames());
        var queried = expressions.SelectMany(e => BridgeMetricName().Matches(e).Select(m => m.Value)).Distinct().ToList();
        var unknown = queried.Where(name => !instruments.Any(i => Suffixes.Any(s => name == i + s))).ToList();
        Assert.True(unknown.Count == 0, "The dashboard queries metrics the bridge does not have: " + string.Join(", ", unknown));
        foreach (var needed in new[] { "bridge_logins_total", "bridge_upstream_request_duration_seconds_bucket", "bridge_sync_lag_seconds", "bridge_backfill_customers_done" })
        {
            Assert.Contains(needed, queried);
        }
    }
}
