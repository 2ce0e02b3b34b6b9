using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmneoSfccBridge.Sandbox;

namespace OmneoSfccBridge.Benchmarks;

// Backfill throughput: the bridge in-process against the sandbox's loopback SFCC and Omneo, every bridge HTTP call
// delayed by --latency ms (a client-side handler, so both upstreams see it), on a fresh SQLite file.
// Usage: dotnet run -c Release --project bench/OmneoSfccBridge.Benchmarks -- backfill --customers 10000 --latency 0
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

        var directory = Directory.CreateTempSubdirectory("bridge-bench-").FullName;
        const string adminKey = "bench-admin-key-0123456789abcdef";
        using var bridge = new BenchBridge(new Dictionary<string, string?>(SandboxLandscape.UpstreamSettings(sfcc, omneo))
        {
            ["Admin:ApiKey"] = adminKey,
            ["Storage:Provider"] = "Sqlite",
            ["ConnectionStrings:Bridge"] = $"Data Source={Path.Combine(directory, "bridge.db")}",
            ["Sync:DeltaIntervalMinutes"] = "0",
            ["Sync:Parallelism"] = parallelism.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        }, TimeSpan.FromMilliseconds(latency));
        var client = bridge.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);

        var clock = Stopwatch.StartNew();
        (await client.PostAsync("/admin/sync/backfill", null)).EnsureSuccessStatusCode();
        JsonElement backfill;
        while (true)
        {
            await Task.Delay(250);
            using var status = JsonDocument.Parse(await client.GetStringAsync("/admin/sync/status"));
            backfill = status.RootElement.GetProperty("backfill").Clone();
            if (backfill.GetProperty("status").GetString() == "completed")
            {
                break;
            }
        }

        clock.Stop();
        var linked = omneo.All().Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"customers={customers} latency_ms={latency} parallelism={parallelism} seconds={clock.Elapsed.TotalSeconds:0.0} customers_per_second={customers / clock.Elapsed.TotalSeconds:0} profiles_in_omneo={linked} peak_working_set_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} managed_heap_mb={GC.GetTotalMemory(false) / 1048576}"));
        return linked == customers ? 0 : 1;
    }

    static int Arg(string name, int fallback)
    {
        var args = Environment.GetCommandLineArgs();
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}

internal sealed class BenchBridge(Dictionary<string, string?> settings, TimeSpan latency) : WebApplicationFactory<global::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.ClearProviders());
        builder.ConfigureServices(services => services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new Latency(latency))));
    }

    private sealed class Latency(TimeSpan delay) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
