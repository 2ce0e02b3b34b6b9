using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace OmneoSfccBridge.LoadRunner;

/// <summary>
/// <c>login</c>: warm logins against the passthrough and the bridge alternately (paired rounds, wrk), both in front of
/// the same fast stub. <c>backfill</c>: the bridge's backfill of N stub customers, new then unchanged. Every process
/// (stub, passthrough, bridge) is a child on loopback, so each one's CPU is read from /proc on its own.
/// </summary>
public static class RunnerEntry
{
    public static async Task<int> Main(string[] args)
    {
        var options = new Args(args);
        switch (args.FirstOrDefault())
        {
            case "login":
                return await LoginLoad.RunAsync(options);
            case "backfill":
                return await BackfillLoad.RunAsync(options);
            case "soak":
                return await SoakLoad.RunAsync(options);
            default:
                Console.Error.WriteLine("""
                    usage: dotnet run -c Release --project bench/LoadRunner -- login [--kinds ocapi-bearer,storefront,slas-registered] [--connections 32,1] [--rounds 5] [--seconds 5] [--warmup 1] [--jit-warmup 0] [--bridge-dll PATH] [--baseline-dll PATH]
                           dotnet run -c Release --project bench/LoadRunner -- backfill [--customers 10000] [--parallelism 8,1] [--rounds 3] [--latency 0] [--unchanged-passes 1] [--poll-ms 250] [--postgres CONNSTRING [--instances 1,2] [--storages postgres,sqlite]] [--bridge-dll PATH] [--baseline-dll PATH] [--compare NAME=PATH[|VAR=value...],...]
                           dotnet run -c Release --project bench/LoadRunner -- soak [--minutes 10] [--customers 100000] [--rate R | (half the max of a closed-loop burst)] [--kinds ocapi-bearer] [--before-seconds 60] [--timeout-seconds 10] [--latency 0] [--postgres CONNSTRING] [--bridge-dll PATH]
                    """);
                return 2;
        }
    }
}

/// <summary><c>--name value</c> options.</summary>
internal sealed class Args(string[] args)
{
    public string? Get(string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    public int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public int[] Ints(string name, params int[] fallback) =>
        Get(name) is { } v ? [.. v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : fallback;

    public string[] Strings(string name, params string[] fallback) => Get(name) is { } v ? v.Split(',') : fallback;
}

/// <summary>Where things are: the repository root and the benchmark processes' builds (Release, built with this project).</summary>
internal static class Paths
{
    public static string Root { get; } = FindRoot();

    public static string Dll(string project) => Path.Combine(Root, "bench", project, "bin", "Release", "net10.0", project + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OmneoSfccBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OmneoSfccBridge.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A child process's CPU time and memory, from /proc.</summary>
internal static class ProcStat
{
    private const double TicksPerSecond = 100; // CLK_TCK on Linux

    /// <summary>User + system CPU seconds the process has used so far.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Peak resident set (VmHWM), MB.</summary>
    public static long PeakRssMb(int pid) => StatusKb(pid, "VmHWM:") / 1024;

    /// <summary>Resident set now (VmRSS), MB.</summary>
    public static long RssMb(int pid) => StatusKb(pid, "VmRSS:") / 1024;

    private static long StatusKb(int pid, string key)
    {
        var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

/// <summary>A benchmark web process (stub or passthrough) on a free loopback port, killed on dispose.</summary>
internal sealed class WebProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WebProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Id => _process.Id;

    public static async Task<WebProcess> StartAsync(string project, string readyPath, params string[] arguments)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // The same garbage collector as the bridge's (see BridgeSettings), so the baseline differs from it in logic only.
        start.Environment["DOTNET_gcServer"] = "0";
        start.ArgumentList.Add(Paths.Dll(project));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + project);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{project}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = url };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{project} exited with {process.ExitCode}");
            }

            try
            {
                using var probe = await http.GetAsync(new Uri(readyPath, UriKind.Relative));
                return new WebProcess(process, url);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new TimeoutException(project + " did not start listening within 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The fast stub's control surface.</summary>
internal static class Stub
{
    public const string AdminKey = "bench-admin-key-0123456789abcdef";

    public static Task<WebProcess> StartAsync(int customers, int latencyMs) =>
        WebProcess.StartAsync("FastStub", "/_stats", "--customers", customers.ToString(CultureInfo.InvariantCulture), "--latency", latencyMs.ToString(CultureInfo.InvariantCulture));

    /// <summary>The settings that point the bridge at the stub, with the bench's limits (see bench/README.md).</summary>
    public static Dictionary<string, string?> BridgeSettings(Uri stub)
    {
        var url = stub.ToString().TrimEnd('/');
        return new Dictionary<string, string?>
        {
            ["Sfcc:InstanceUrl"] = url,
            ["Sfcc:SiteId"] = "Bench",
            ["Sfcc:OcapiVersion"] = "23_2",
            ["Sfcc:ClientId"] = "bench-client",
            ["Sfcc:ClientSecret"] = "bench-client-secret",
            ["Sfcc:CustomerListId"] = "Bench",
            ["Sfcc:AccountManagerTokenUrl"] = url + "/dw/oauth2/access_token",
            ["Omneo:BaseUrl"] = url,
            ["Omneo:ApiToken"] = "bench-omneo-admin-token",
            ["Admin:ApiKey"] = AdminKey,
            ["Storage:Provider"] = "Sqlite",
            ["Sync:DeltaIntervalMinutes"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",

            // Every request comes from 127.0.0.1: the per-address limits (600 logins, 300 admin calls a minute) would
            // measure the limiter's refusals. The limiter itself stays in the pipeline.
            ["CustomerAuth:LoginPermitsPerMinute"] = "0",
            ["Admin:PermitsPerMinute"] = "0",

            // The garbage collector the container image runs (Dockerfile: DOTNET_gcServer=0), not the Web SDK's default
            // Server GC: measured, Server GC on 2 cores cost the backfill up to a quarter of its throughput.
            ["DOTNET_gcServer"] = "0",
        };
    }

    public static async Task<Dictionary<string, long>> StatsAsync(HttpClient stub) =>
        JsonSerializer.Deserialize<Dictionary<string, long>>(await stub.GetStringAsync(new Uri("/_stats", UriKind.Relative)))!;

    public static async Task ResetStatsAsync(HttpClient stub) =>
        (await stub.PostAsync(new Uri("/_stats/reset", UriKind.Relative), null)).EnsureSuccessStatusCode();

    public static string Describe(Dictionary<string, long> stats, double per) =>
        string.Join(" ", stats.Where(s => s.Value > 0).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}={s.Value / per:0.##}")));
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Range(IEnumerable<double> values, string format)
    {
        var list = values.ToList();
        return list.Count == 0 ? "" : $"{list.Min().ToString(format, CultureInfo.InvariantCulture)}-{list.Max().ToString(format, CultureInfo.InvariantCulture)}";
    }
}
