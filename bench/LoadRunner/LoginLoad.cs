using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.LoadRunner;

/// <summary>
/// A kind of login to put under load. To add one: say what the bridge needs configured and how to get a request the
/// stub will accept, and add it to <see cref="LoginKinds.All"/>; the runner warms it (the first logins confirm the
/// shopper and link the customer), checks that a warm login costs exactly one upstream call, then measures it against
/// the passthrough.
/// </summary>
internal interface ILoginKind
{
    string Name { get; }

    /// <summary>Bridge settings this kind needs beyond <see cref="Stub.BridgeSettings"/>.</summary>
    IReadOnlyDictionary<string, string?> BridgeSettings(Uri stub);

    /// <summary>The request every login of the load sends (the same bytes each time).</summary>
    Task<LoginRequest> RequestAsync(HttpClient stub);
}

/// <summary>A <c>POST</c> to <paramref name="Path"/>; <paramref name="Body"/>, when there is one, is sent as <c>application/json</c>.</summary>
internal sealed record LoginRequest(string Path, IReadOnlyDictionary<string, string> Headers, string? Body = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(HttpMethod.Post, Path);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new StringContent(Body, Encoding.UTF8, "application/json");
        }

        return message;
    }

    /// <summary>The wrk script that sends this request (Lua long strings: no escaping needed).</summary>
    public string WrkScript()
    {
        var script = new StringBuilder("wrk.method = \"POST\"\n");
        foreach (var (name, value) in Headers)
        {
            script.Append(CultureInfo.InvariantCulture, $"wrk.headers[ [==[{name}]==] ] = [==[{value}]==]\n");
        }

        if (Body is not null)
        {
            script.Append(CultureInfo.InvariantCulture, $"wrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [==[{Body}]==]\n");
        }

        return script.ToString();
    }
}

internal static class LoginKinds
{
    public static readonly ILoginKind[] All = [new OcapiBearerWarm(), new StorefrontSignedWarm(), new SlasRegisteredWarm()];

    /// <summary>
    /// An OCAPI shopper token whose verdict is cached (the first login asks SFCC once) for a customer already linked (the
    /// first login links it): each login then makes exactly one upstream call, the Omneo token. The verdict lasts
    /// CustomerAuth:MaxVerdictSeconds (300 s), so a longer run re-confirms the token once every 5 minutes.
    /// </summary>
    private sealed class OcapiBearerWarm : ILoginKind
    {
        public string Name => "ocapi-bearer";

        public IReadOnlyDictionary<string, string?> BridgeSettings(Uri stub) => new Dictionary<string, string?>();

        public async Task<LoginRequest> RequestAsync(HttpClient stub) =>
            new("/login", new Dictionary<string, string> { ["Authorization"] = "Bearer " + await stub.GetStringAsync(new Uri("/_ocapi-token?customer=1", UriKind.Relative)) });
    }

    /// <summary>
    /// <c>POST /login/storefront</c> for a customer already linked (the first login reads it from the Data API by number
    /// and links it): the HMAC of the body is checked on every login, then exactly one upstream call, the Omneo token.
    /// The same signed body is replayed for the whole run, so the clock skew allowed is the bench's maximum, one hour, and
    /// the per-key limit is off (every login of the load is the same key).
    /// </summary>
    private sealed class StorefrontSignedWarm : ILoginKind
    {
        private const string KeyId = "bench-storefront";
        private const string Secret = "bench-storefront-secret-0123456789abcdef0123456789abcdef";

        public string Name => "storefront";

        public IReadOnlyDictionary<string, string?> BridgeSettings(Uri stub) => new Dictionary<string, string?>
        {
            ["Storefront:Keys:0:Id"] = KeyId,
            ["Storefront:Keys:0:Secret"] = Secret,
            ["Storefront:MaxClockSkewSeconds"] = "3600",
            ["Storefront:PermitsPerKeyPerMinute"] = "0",
        };

        public Task<LoginRequest> RequestAsync(HttpClient stub)
        {
            var body = string.Create(CultureInfo.InvariantCulture, $$"""{"customer_no":"B00000002","timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}""");
            var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body)));
            return Task.FromResult(new LoginRequest("/login/storefront", new Dictionary<string, string> { ["X-Storefront-Key"] = KeyId, ["X-Storefront-Signature"] = signature }, body));
        }
    }

    /// <summary>
    /// A registered shopper's SLAS access token (ES256, the stub's key): the first login fetches the JWKS, checks the
    /// signature, reads the customer number from the Shopper Customers API and links it by <c>rcid</c>; a warm login finds
    /// the verdict cached (no signature check) and the link known: exactly one upstream call, the Omneo token.
    /// </summary>
    private sealed class SlasRegisteredWarm : ILoginKind
    {
        public string Name => "slas-registered";

        public IReadOnlyDictionary<string, string?> BridgeSettings(Uri stub) => new Dictionary<string, string?>
        {
            ["Slas:OrganizationId"] = "f_ecom_bench_001",
            ["Slas:BaseUrl"] = stub.ToString().TrimEnd('/'),
            ["Slas:ClientIds:0"] = "bench-slas-client",
        };

        public async Task<LoginRequest> RequestAsync(HttpClient stub) =>
            new("/login", new Dictionary<string, string> { ["Authorization"] = "Bearer " + await stub.GetStringAsync(new Uri("/_slas-token?customer=3", UriKind.Relative)) });
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
        var jitWarmup = args.Int("--jit-warmup", 0);

        await using var stub = await Stub.StartAsync(customers: 0, latencyMs: 0);
        await using var passthrough = await WebProcess.StartAsync("Passthrough", "/", "--upstream", stub.Url.ToString());
        var settings = Stub.BridgeSettings(stub.Url);
        foreach (var (key, value) in kinds.SelectMany(k => k.BridgeSettings(stub.Url)))
        {
            settings[key] = value;
        }

        await using var bridge = new BridgeProcess(settings, bridgeDll: args.Get("--bridge-dll"));
        await bridge.StartAsync();

        // Another build of the bridge (--baseline-dll), measured in the same rounds, so a change is judged against the
        // build it changes under the same load.
        await using var baseline = args.Get("--baseline-dll") is { } baselineDll ? new BridgeProcess(settings, bridgeDll: baselineDll) : null;
        if (baseline is not null)
        {
            await baseline.StartAsync();
        }

        using var stubClient = new HttpClient { BaseAddress = stub.Url };
        var prepared = new List<(ILoginKind Kind, LoginRequest Request, string Script)>();
        try
        {
            Console.WriteLine($"warm login: {rounds} paired rounds of {seconds} s (+{warmup} s warm-up) per target, wrk, connections {string.Join(",", connectionCounts)}; load average {Load()}");
            foreach (var kind in kinds)
            {
                var request = await kind.RequestAsync(stubClient);
                await WarmAsync(bridge.Url, request, bridge.Output);
                await WarmAsync(passthrough.Url, request, "");
                await CheckOneUpstreamCallAsync(kind.Name, bridge.Url, request, stubClient);
                if (baseline is not null)
                {
                    await WarmAsync(baseline.Url, request, baseline.Output);
                    await CheckOneUpstreamCallAsync(kind.Name + " (baseline)", baseline.Url, request, stubClient);
                }

                var script = Path.GetTempFileName();
                prepared.Add((kind, request, script));
                await File.WriteAllTextAsync(script, request.WrkScript());
            }

            // Before the first round, every target gets --jit-warmup seconds of load per kind: on a busy machine tiered
            // compilation takes far longer than one round's warm-up, and the first rounds would measure the JIT.
            if (jitWarmup > 0)
            {
                foreach (var (_, request, script) in prepared)
                {
                    foreach (var url in new[] { passthrough.Url, bridge.Url, baseline?.Url }.OfType<Uri>())
                    {
                        await WrkAsync(new Uri(url, request.Path), script, connectionCounts.Max(), jitWarmup);
                    }
                }
            }

            foreach (var connections in connectionCounts)
            {
                var pairs = kinds.ToDictionary(k => k.Name, _ => new List<(WrkResult Passthrough, WrkResult Bridge)>());
                var baselines = kinds.ToDictionary(k => k.Name, _ => new List<WrkResult>());
                for (var round = 1; round <= rounds; round++)
                {
                    // Every kind in every round, the first one rotating, so the kinds share the machine's load as the two
                    // targets of a pair do (ABBA: which target goes first alternates).
                    foreach (var (kind, request, script) in prepared.Skip((round - 1) % prepared.Count).Concat(prepared.Take((round - 1) % prepared.Count)))
                    {
                        // The targets' order rotates from round to round, so none always runs first.
                        var targets = baseline is null ? new List<string> { "passthrough", "bridge" } : ["passthrough", "baseline", "bridge"];
                        var shift = (round - 1) % targets.Count;
                        targets = [.. targets.Skip(shift), .. targets.Take(shift)];
                        var results = new Dictionary<string, WrkResult>();
                        foreach (var target in targets)
                        {
                            var (url, pid) = target switch
                            {
                                "bridge" => (bridge.Url, bridge.ProcessId),
                                "baseline" => (baseline!.Url, baseline.ProcessId),
                                _ => (passthrough.Url, passthrough.Id),
                            };
                            results[target] = await MeasureAsync(new Uri(url, request.Path), pid, stub.Id, stubClient, script, connections, seconds, warmup);
                        }

                        var (p, b) = (results["passthrough"], results["bridge"]);
                        pairs[kind.Name].Add((p, b));
                        var versus = "";
                        if (results.TryGetValue("baseline", out var a))
                        {
                            baselines[kind.Name].Add(a);
                            versus = string.Create(CultureInfo.InvariantCulture, $" | baseline {Line(a)} | bridge/baseline {b.RequestsPerSecond / a.RequestsPerSecond:0.00}, baseline/passthrough {a.RequestsPerSecond / p.RequestsPerSecond:0.00}");
                        }

                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{kind.Name} c={connections} round {round}: passthrough {Line(p)} | bridge {Line(b)} | ratio {b.RequestsPerSecond / p.RequestsPerSecond:0.00}, p50 +{b.P50Us - p.P50Us:0} µs{versus}; load {Load()}"));
                    }
                }

                foreach (var kind in kinds)
                {
                    Summarise(kind.Name, connections, pairs[kind.Name]);
                    SummariseBaseline(kind.Name, connections, pairs[kind.Name], baselines[kind.Name]);
                }

                CompareWithOcapi(connections, pairs);
            }

            Console.WriteLine($"load average at the end {Load()}; bridge peak RSS {bridge.PeakResidentBytes() / 1048576} MB");
            return 0;
        }
        finally
        {
            foreach (var (_, _, script) in prepared)
            {
                File.Delete(script);
            }
        }
    }

    /// <summary>
    /// Issue 10: each kind's bridge time within 10 % of the warm OCAPI login's. Per round (same load), the kind's bridge
    /// CPU per login over OCAPI's, and the same for the CPU the bridge adds to the passthrough's; medians and ranges.
    /// </summary>
    private static void CompareWithOcapi(int connections, Dictionary<string, List<(WrkResult Passthrough, WrkResult Bridge)>> pairs)
    {
        if (!pairs.TryGetValue("ocapi-bearer", out var ocapi))
        {
            return;
        }

        foreach (var (kind, list) in pairs.Where(p => p.Key != "ocapi-bearer"))
        {
            var cpu = list.Zip(ocapi, (k, o) => k.Bridge.TargetCpuUsPerRequest / o.Bridge.TargetCpuUsPerRequest).ToList();
            var added = list.Zip(ocapi, (k, o) => (k.Bridge.TargetCpuUsPerRequest - k.Passthrough.TargetCpuUsPerRequest) / (o.Bridge.TargetCpuUsPerRequest - o.Passthrough.TargetCpuUsPerRequest)).ToList();
            var p50 = list.Zip(ocapi, (k, o) => k.Bridge.P50Us / o.Bridge.P50Us).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"== {kind} ÷ ocapi-bearer c={connections}, per-round medians: bridge cpu/login {Stats.Median(cpu):0.00} ({Stats.Range(cpu, "0.00")}); cpu added to passthrough {Stats.Median(added):0.00} ({Stats.Range(added, "0.00")}); bridge p50 {Stats.Median(p50):0.00} ({Stats.Range(p50, "0.00")})"));
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

    /// <summary>The baseline build beside the passthrough and the bridge: its medians and the per-round ratios.</summary>
    private static void SummariseBaseline(string kind, int connections, List<(WrkResult Passthrough, WrkResult Bridge)> pairs, List<WrkResult> baselines)
    {
        if (baselines.Count == 0)
        {
            return;
        }

        var ratios = baselines.Select((a, i) => a.RequestsPerSecond / pairs[i].Passthrough.RequestsPerSecond).ToList();
        var added = baselines.Select((a, i) => a.P50Us - pairs[i].Passthrough.P50Us).ToList();
        var versus = baselines.Select((a, i) => pairs[i].Bridge.RequestsPerSecond / a.RequestsPerSecond).ToList();
        var cpu = baselines.Select((a, i) => pairs[i].Bridge.TargetCpuUsPerRequest / a.TargetCpuUsPerRequest).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
               baseline    {Stats.Median(baselines.Select(x => x.RequestsPerSecond)):0}/s p50 {Stats.Median(baselines.Select(x => x.P50Us)):0} µs p99 {Stats.Median(baselines.Select(x => x.P99Us)):0} µs cpu {Stats.Median(baselines.Select(x => x.TargetCpuUsPerRequest)):0} µs/req
               baseline/passthrough {Stats.Median(ratios):0.00} ({Stats.Range(ratios, "0.00")}); p50 added {Stats.Median(added):0} µs ({Stats.Range(added, "0")})
               bridge/baseline throughput {Stats.Median(versus):0.00} ({Stats.Range(versus, "0.00")}); cpu/login {Stats.Median(cpu):0.00} ({Stats.Range(cpu, "0.00")})
            """));
    }

    private static async Task WarmAsync(Uri target, LoginRequest login, string output)
    {
        using var http = new HttpClient { BaseAddress = target };
        for (var i = 0; i < 3; i++)
        {
            using var request = login.ToMessage();
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"warm-up login to {new Uri(target, login.Path)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{output}");
            }
        }
    }

    /// <summary>
    /// A warm login must cost exactly one upstream call, the Omneo token (issue 10): 20 sequential logins, then the stub's
    /// count per route. A background job queued by the first logins (the login refresh) may read SFCC or Omneo once
    /// meanwhile, so a surplus is retried once after a pause before it counts as the bridge's.
    /// </summary>
    private static async Task CheckOneUpstreamCallAsync(string kind, Uri bridge, LoginRequest login, HttpClient stub)
    {
        const int logins = 20;
        using var http = new HttpClient { BaseAddress = bridge };
        for (var attempt = 1; ; attempt++)
        {
            await Stub.ResetStatsAsync(stub);
            for (var i = 0; i < logins; i++)
            {
                using var request = login.ToMessage();
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }

            var stats = await Stub.StatsAsync(stub);
            var line = $"{kind}: upstream calls per warm login: {Stub.Describe(stats, logins)}";
            if (stats.Values.Sum() == logins && stats["OmneoCustomerToken"] == logins)
            {
                Console.WriteLine(line);
                return;
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException(line + " (expected OmneoCustomerToken=1 and nothing else)");
            }

            await Task.Delay(TimeSpan.FromSeconds(3));
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
        foreach (var argument in new[] { "-t", Math.Min(connections, 2).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", seconds.ToString(CultureInfo.InvariantCulture) + "s", "--latency", "-s", script, target.ToString() })
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
