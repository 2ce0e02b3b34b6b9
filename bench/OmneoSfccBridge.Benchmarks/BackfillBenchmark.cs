using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Benchmarks;

// Backfill throughput and memory of the bridge as it runs in production: its Release build as a child process on a
// fresh SQLite file, against the sandbox's simulated SFCC and Omneo in this process, each answer delayed --latency ms
// by the sandbox (a remote upstream's round trip). The bridge's peak RSS (VmHWM) is its own, not the sandbox's.
// Usage: dotnet run -c Release --project bench/OmneoSfccBridge.Benchmarks -- backfill --customers 10000 --latency 0 [--parallelism 16]
internal static class BackfillBenchmark
{
    public static async Task<int> RunAsync()
    {
        var customers = Arg("--customers", 2_000);
        var latency = Arg("--latency", 0);
        var parallelism = Arg("--parallelism", 16);

        using var sfcc = new SandboxSfcc(TimeProvider.System);
        using var omneo = new SandboxOmneo(TimeProvider.System);
        for (var i = 0; i < customers; i++)
        {
            sfcc.AddCustomer($"bench{i}@example.com", "pw", "Bench", $"Customer{i}");
        }

        sfcc.Latency = omneo.Latency = TimeSpan.FromMilliseconds(latency);
        const string adminKey = "bench-admin-key-0123456789abcdef";
        await using var bridge = new BridgeProcess(new Dictionary<string, string?>(SandboxLandscape.UpstreamSettings(sfcc, omneo))
        {
            ["Admin:ApiKey"] = adminKey,
            ["Storage:Provider"] = "Sqlite",
            ["Sync:DeltaIntervalMinutes"] = "0",
            ["Sync:Parallelism"] = parallelism.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await bridge.StartAsync();
        var idle = bridge.PeakResidentBytes();
        using var client = new HttpClient { BaseAddress = bridge.Url };
        client.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);

        var clock = Stopwatch.StartNew();
        (await client.PostAsync(new Uri("/admin/sync/backfill", UriKind.Relative), null)).EnsureSuccessStatusCode();
        while (true)
        {
            await Task.Delay(250);
            using var status = JsonDocument.Parse(await client.GetStringAsync(new Uri("/admin/sync/status", UriKind.Relative)));
            if (status.RootElement.GetProperty("backfill").GetProperty("status").GetString() == "completed")
            {
                break;
            }
        }

        clock.Stop();
        var peak = bridge.PeakResidentBytes();
        var linked = omneo.All().Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"customers={customers} latency_ms={latency} parallelism={parallelism} seconds={clock.Elapsed.TotalSeconds:0.0} customers_per_second={customers / clock.Elapsed.TotalSeconds:0} profiles_in_omneo={linked} bridge_peak_rss_mb={peak / 1048576} bridge_ready_rss_mb={idle / 1048576} sandbox_peak_working_set_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}"));
        return linked == customers ? 0 : 1;
    }

    private static int Arg(string name, int fallback)
    {
        var args = Environment.GetCommandLineArgs();
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
