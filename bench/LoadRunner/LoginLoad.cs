using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.LoadRunner;

/// <summary>
/// A kind of login to put under load. To add one (storefront-signed, SLAS): say what the bridge needs configured and
/// how to get a credential the stub will accept, and add it to <see cref="LoginKinds.All"/>; the runner warms it (the
/// first logins confirm the token and link the customer), then measures it against the passthrough.
/// </summary>
internal interface ILoginKind
{
    string Name { get; }

    /// <summary>Bridge settings this kind needs beyond <see cref="Stub.BridgeSettings"/>.</summary>
    IReadOnlyDictionary<string, string?> BridgeSettings { get; }

    /// <summary>The <c>Authorization</c> header every request of the load sends.</summary>
    Task<string> AuthorizationAsync(HttpClient stub);
}

internal static class LoginKinds
{
    public static readonly ILoginKind[] All = [new OcapiBearerWarm()];

    /// <summary>
    /// An OCAPI shopper token whose verdict is cached (the first login asks SFCC once) for a customer already linked (the
    /// first login links it): each login then makes exactly one upstream call, the Omneo token. The verdict lasts
    /// CustomerAuth:MaxVerdictSeconds (300 s), so a longer run re-confirms the token once every 5 minutes.
    /// </summary>
    private sealed class OcapiBearerWarm : ILoginKind
    {
        public string Name => "ocapi-bearer";

        public IReadOnlyDictionary<string, string?> BridgeSettings { get; } = new Dictionary<string, string?>();

        public async Task<string> AuthorizationAsync(HttpClient stub) =>
            "Bearer " + await stub.GetStringAsync(new Uri("/_ocapi-token?customer=1", UriKind.Relative));
    }
}

internal sealed record WrkResult(double RequestsPerSecond, double P50Us, double P99Us, long Requests, long Errors, double TargetCpuUsPerRequest, double StubCpuUsPerRequest, double UpstreamCallsPerRequest);

internal static partial class LoginLoad
{
    public static async Task<int> RunAsync(Args args)
    {
        var kinds = args.Strings("--kinds", [.. LoginKinds.All.Select(k => k.Name)]).Select(n => LoginKinds.All.Single(k => k.Name == n)).ToList();
        var connectionCounts = args.Ints("--connections", 32, 1);
        var rounds = args.Int("--rounds", 5);
        var seconds = args.Int("--seconds", 5);
        var warmup = args.Int("--warmup", 1);

        await using var stub = await Stub.StartAsync(customers: 0, latencyMs: 0);
        await using var passthrough = await WebProcess.StartAsync("Passthrough", "/", "--upstream", stub.Url.ToString());
        var settings = Stub.BridgeSettings(stub.Url);
        foreach (var (key, value) in kinds.SelectMany(k => k.BridgeSettings))
        {
            settings[key] = value;
        }

        await using var bridge = new BridgeProcess(settings, bridgeDll: args.Get("--bridge-dll"));
        await bridge.StartAsync();
        using var stubClient = new HttpClient { BaseAddress = stub.Url };
        var script = Path.GetTempFileName();
        try
        {
            Console.WriteLine($"warm login: {rounds} paired rounds of {seconds} s (+{warmup} s warm-up) per target, wrk, connections {string.Join(",", connectionCounts)}; load average {Load()}");
            foreach (var kind in kinds)
            {
                var authorization = await kind.AuthorizationAsync(stubClient);
                await WarmAsync(bridge.Url, authorization, bridge.Output);
                await WarmAsync(passthrough.Url, authorization, "");
                await File.WriteAllTextAsync(script, $"wrk.method = \"POST\"\nwrk.headers[\"Authorization\"] = \"{authorization}\"\n");
                foreach (var connections in connectionCounts)
                {
                    var pairs = new List<(WrkResult Passthrough, WrkResult Bridge)>();
                    for (var round = 1; round <= rounds; round++)
                    {
                        // ABBA: which target goes first alternates, so a drift in machine load falls on both.
                        var bridgeFirst = round % 2 == 0;
                        WrkResult? p = null, b = null;
                        foreach (var target in bridgeFirst ? new[] { "bridge", "passthrough" } : ["passthrough", "bridge"])
                        {
                            var (url, pid) = target == "bridge" ? (bridge.Url, bridge.ProcessId) : (passthrough.Url, passthrough.Id);
                            var result = await MeasureAsync(url, pid, stub.Id, stubClient, script, connections, seconds, warmup);
                            if (target == "bridge")
                            {
                                b = result;
                            }
                            else
                            {
                                p = result;
                            }
                        }

                        pairs.Add((p!, b!));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{kind.Name} c={connections} round {round}: passthrough {Line(p!)} | bridge {Line(b!)} | ratio {b!.RequestsPerSecond / p!.RequestsPerSecond:0.00}, p50 +{b.P50Us - p.P50Us:0} µs"));
                    }

                    Summarise(kind.Name, connections, pairs);
                }
            }

            Console.WriteLine($"load average at the end {Load()}; bridge peak RSS {bridge.PeakResidentBytes() / 1048576} MB");
            return 0;
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string Line(WrkResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.RequestsPerSecond,7:0}/s p50 {r.P50Us,6:0} µs p99 {r.P99Us,6:0} µs cpu {r.TargetCpuUsPerRequest,4:0} µs/req (stub {r.StubCpuUsPerRequest:0}) upstream {r.UpstreamCallsPerRequest:0.00}/req{(r.Errors > 0 ? $" ERRORS {r.Errors}" : "")}");

    private static void Summarise(string kind, int connections, List<(WrkResult Passthrough, WrkResult Bridge)> pairs)
    {
        var ratios = pairs.Select(x => x.Bridge.RequestsPerSecond / x.Passthrough.RequestsPerSecond).ToList();
        var added = pairs.Select(x => x.Bridge.P50Us - x.Passthrough.P50Us).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            == {kind} c={connections}, medians of {pairs.Count} paired rounds ==
               passthrough {Stats.Median(pairs.Select(x => x.Passthrough.RequestsPerSecond)):0}/s p50 {Stats.Median(pairs.Select(x => x.Passthrough.P50Us)):0} µs p99 {Stats.Median(pairs.Select(x => x.Passthrough.P99Us)):0} µs cpu {Stats.Median(pairs.Select(x => x.Passthrough.TargetCpuUsPerRequest)):0} µs/req
               bridge      {Stats.Median(pairs.Select(x => x.Bridge.RequestsPerSecond)):0}/s p50 {Stats.Median(pairs.Select(x => x.Bridge.P50Us)):0} µs p99 {Stats.Median(pairs.Select(x => x.Bridge.P99Us)):0} µs cpu {Stats.Median(pairs.Select(x => x.Bridge.TargetCpuUsPerRequest)):0} µs/req, upstream calls {Stats.Median(pairs.Select(x => x.Bridge.UpstreamCallsPerRequest)):0.00}/login
               ratio bridge/passthrough {Stats.Median(ratios):0.00} ({Stats.Range(ratios, "0.00")}); p50 added {Stats.Median(added):0} µs ({Stats.Range(added, "0")})
            """));
    }

    private static async Task WarmAsync(Uri target, string authorization, string output)
    {
        using var http = new HttpClient { BaseAddress = target };
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/login");
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"warm-up login to {target} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{output}");
            }
        }
    }

    private static async Task<WrkResult> MeasureAsync(Uri target, int targetPid, int stubPid, HttpClient stub, string script, int connections, int seconds, int warmup)
    {
        if (warmup > 0)
        {
            await WrkAsync(target, script, connections, warmup);
        }

        await Stub.ResetStatsAsync(stub);
        var (cpu0, stubCpu0) = (ProcStat.CpuSeconds(targetPid), ProcStat.CpuSeconds(stubPid));
        var output = await WrkAsync(target, script, connections, seconds);
        var (cpu1, stubCpu1) = (ProcStat.CpuSeconds(targetPid), ProcStat.CpuSeconds(stubPid));
        var calls = (await Stub.StatsAsync(stub)).Values.Sum();
        var requests = long.Parse(RequestsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        errors += SocketErrors().Match(output) is { Success: true } s ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        return new WrkResult(
            double.Parse(Rate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50%"),
            Percentile(output, "99%"),
            requests,
            errors,
            (cpu1 - cpu0) * 1e6 / Math.Max(requests, 1),
            (stubCpu1 - stubCpu0) * 1e6 / Math.Max(requests, 1),
            (double)calls / Math.Max(requests, 1));
    }

    private static async Task<string> WrkAsync(Uri target, string script, int connections, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t", Math.Min(connections, 2).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", seconds.ToString(CultureInfo.InvariantCulture) + "s", "--latency", "-s", script, new Uri(target, "/login").ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        return wrk.ExitCode == 0 ? output : throw new InvalidOperationException("wrk failed: " + output + await wrk.StandardError.ReadToEndAsync());
    }

    private static double Percentile(string output, string which)
    {
        var match = Regex.Match(output, @"^\s*" + Regex.Escape(which) + @"\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value, "ms" => value * 1e3, _ => value * 1e6 };
    }

    private static string Load() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"^\s*([0-9]+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")]
    private static partial Regex SocketErrors();
}
