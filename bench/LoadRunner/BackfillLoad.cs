using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.LoadRunner;

internal sealed record BackfillResult(string Build, int Parallelism, int Instances, string Phase, double PerSecond, double BridgeOwnPerSecond, double BridgeCpuUs, double StubCpuUs, long PeakRssMb, double UpstreamCallsPerCustomer);

/// <summary>
/// The backfill of N stub customers by a fresh bridge (its own SQLite file): first every customer is new (four Omneo
/// calls each: search-id, email search, create, identity), then, started again, every customer is unchanged (no
/// Omneo call, no write). With --baseline-dll a second bridge build runs the same rounds in the same run, alternating,
/// so before and after are measured under the same machine load. With --postgres (a connection string to a server
/// the runner may create databases on) each run gets a fresh PostgreSQL database instead, and --instances 1,2 starts
/// that many bridge processes on it (the backfill is started on the first; CPU and RSS are summed over all).
/// </summary>
internal static class BackfillLoad
{
    public static async Task<int> RunAsync(Args args)
    {
        var customers = args.Int("--customers", 10_000);
        var parallelisms = args.Ints("--parallelism", 8, 1);
        var rounds = args.Int("--rounds", 3);
        var latency = args.Int("--latency", 0);
        // The unchanged phase is short (seconds): repeating it on the same bridge gives a profiler something to attach to.
        var unchangedPasses = args.Int("--unchanged-passes", 1);
        // The status poll costs the bridge CPU (a request and its queries): poll seldom. The completion time does not
        // depend on it (it is read from the bridge's finishedAt); only the CPU window overshoots, by at most one
        // interval of an idle bridge.
        var poll = TimeSpan.FromMilliseconds(args.Int("--poll-ms", 250));
        var postgres = args.Get("--postgres");
        var instanceCounts = postgres is null ? [1] : args.Ints("--instances", 1);
        var builds = new List<(string Name, string? Dll, bool Sqlite, Dictionary<string, string> Env)> { ("current", args.Get("--bridge-dll"), false, []) };
        if (args.Get("--baseline-dll") is { } baseline)
        {
            builds.Add(("baseline", baseline, false, []));
        }

        // More builds to pair with: --compare name=path/OmneoSfccBridge.dll[|VAR=value...][,name=path...]; the
        // variables (e.g. DOTNET_TieredPGO=0) are set for that build's process only, so one build can run two ways.
        foreach (var other in args.Strings("--compare").Where(o => o.Contains('=', StringComparison.Ordinal)))
        {
            var name = other[..other.IndexOf('=', StringComparison.Ordinal)];
            var parts = other[(name.Length + 1)..].Split('|');
            var env = parts.Skip(1).Where(e => e.Contains('=', StringComparison.Ordinal)).ToDictionary(e => e[..e.IndexOf('=', StringComparison.Ordinal)], e => e[(e.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);
            builds.Add((name, parts[0] is { Length: > 0 } dll ? dll : null, false, env));
        }

        // --postgres with --storages postgres,sqlite: each build also runs on SQLite (one instance) in the same rounds, as NAME-sqlite.
        if (postgres is not null && args.Strings("--storages", "postgres").Contains("sqlite", StringComparer.OrdinalIgnoreCase))
        {
            builds.AddRange([.. builds.Select(b => (b.Name + "-sqlite", b.Dll, true, b.Env))]);
        }

        await using var stub = await Stub.StartAsync(customers, latency);
        using var stubClient = new HttpClient { BaseAddress = stub.Url };
        var results = new List<BackfillResult>();
        Console.WriteLine($"backfill: {customers} customers, latency {latency} ms, parallelism {string.Join(",", parallelisms)}, {rounds} rounds, builds {string.Join(",", builds.Select(b => b.Name))}, storage {(postgres is null ? "SQLite" : builds.Any(b => b.Sqlite) ? "PostgreSQL and SQLite" : "PostgreSQL")}, instances {string.Join(",", instanceCounts)}; load average {Load()}");
        for (var round = 1; round <= rounds; round++)
        {
            // Rotate the order of builds and parallelisms from round to round, so drift in machine load falls on all.
            var runs = (from b in builds from p in parallelisms from n in instanceCounts where !b.Sqlite || n == 1 select (Build: b, Parallelism: p, Instances: n)).ToList();
            var shift = (round - 1) % runs.Count;
            foreach (var (build, parallelism, instances) in runs.Skip(shift).Concat(runs.Take(shift)))
            {
                (await stubClient.PostAsync(new Uri($"/_reset?customers={customers}&latency={latency}", UriKind.Relative), null)).EnsureSuccessStatusCode();
                var settings = Stub.BridgeSettings(stub.Url);
                settings["Sync:Parallelism"] = parallelism.ToString(CultureInfo.InvariantCulture);
                foreach (var (key, value) in build.Env)
                {
                    settings[key] = value;
                }

                if (postgres is not null && !build.Sqlite)
                {
                    settings["Storage:Provider"] = "Postgres";
                    settings["ConnectionStrings:Bridge"] = await CreateDatabaseAsync(postgres);
                }

                var bridges = Enumerable.Range(0, instances).Select(_ => new BridgeProcess(settings, bridgeDll: build.Dll)).ToList();
                await using var stop = new Bridges(bridges);
                await Task.WhenAll(bridges.Select(b => b.StartAsync()));
                using var admin = new HttpClient { BaseAddress = bridges[0].Url };
                admin.DefaultRequestHeaders.Add("X-Admin-Key", Stub.AdminKey);
                foreach (var phase in new[] { "new" }.Concat(Enumerable.Repeat("unchanged", unchangedPasses)))
                {
                    var result = await PhaseAsync(build.Name, parallelism, phase, customers, bridges, admin, stub.Id, stubClient, poll);
                    results.Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round} {build.Name,-8} P={parallelism,-2} N={instances} {phase,-9}: {result.PerSecond,7:0}/s (bridge's own {result.BridgeOwnPerSecond:0}/s) bridge cpu {result.BridgeCpuUs,5:0} µs/customer (stub {result.StubCpuUs:0}) peak RSS {result.PeakRssMb} MB, upstream calls {result.UpstreamCallsPerCustomer:0.00}/customer"));
                }
            }
        }

        Console.WriteLine($"== medians over {rounds} rounds ({customers} customers, latency {latency} ms); load average at the end {Load()} ==");
        foreach (var group in results.GroupBy(r => (r.Phase, r.Parallelism, r.Instances, r.Build)).OrderBy(g => g.Key.Phase, StringComparer.Ordinal).ThenByDescending(g => g.Key.Parallelism).ThenBy(g => g.Key.Instances).ThenBy(g => g.Key.Build, StringComparer.Ordinal))
        {
            var rate = Stats.Median(group.Select(r => r.PerSecond));
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{group.Key.Phase,-9} P={group.Key.Parallelism,-2} N={group.Key.Instances} {group.Key.Build,-8}: {rate,7:0}/s ({Stats.Range(group.Select(r => r.PerSecond), "0")}) bridge's own {Stats.Median(group.Select(r => r.BridgeOwnPerSecond)):0}/s, bridge cpu {Stats.Median(group.Select(r => r.BridgeCpuUs)):0} µs/customer, stub cpu {Stats.Median(group.Select(r => r.StubCpuUs)):0} µs/customer, peak RSS {Stats.Median(group.Select(r => (double)r.PeakRssMb)):0} MB");
            if (group.Key.Build != "baseline" && results.Where(r => r.Build == "baseline" && r.Phase == group.Key.Phase && r.Parallelism == group.Key.Parallelism && r.Instances == group.Key.Instances).Select(r => r.PerSecond).ToList() is { Count: > 0 } before)
            {
                line += string.Create(CultureInfo.InvariantCulture, $"; ×{rate / Stats.Median(before):0.00} the baseline");
            }

            Console.WriteLine(line);
        }

        return results.Any(r => r.PerSecond <= 0) ? 1 : 0;
    }

    private static async Task<BackfillResult> PhaseAsync(string build, int parallelism, string phase, int customers, IReadOnlyList<BridgeProcess> bridges, HttpClient admin, int stubPid, HttpClient stub, TimeSpan poll)
    {
        await Stub.ResetStatsAsync(stub);
        var (cpu0, stubCpu0) = (bridges.Sum(b => ProcStat.CpuSeconds(b.ProcessId)), ProcStat.CpuSeconds(stubPid));
        var clock = Stopwatch.StartNew();
        var posted = DateTimeOffset.UtcNow;
        (await admin.PostAsync(new Uri("/admin/sync/backfill", UriKind.Relative), null)).EnsureSuccessStatusCode();
        JsonElement backfill;
        while (true)
        {
            await Task.Delay(poll);
            using var status = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/sync/status", UriKind.Relative)));
            backfill = status.RootElement.GetProperty("backfill").Clone();
            if (Field(backfill, "status").GetString() == "completed")
            {
                break;
            }

            if (clock.Elapsed > TimeSpan.FromHours(2))
            {
                throw new TimeoutException("the backfill did not complete within 2 hours:\n" + bridges[0].Output);
            }
        }

        clock.Stop();
        var (cpu1, stubCpu1) = (bridges.Sum(b => ProcStat.CpuSeconds(b.ProcessId)), ProcStat.CpuSeconds(stubPid));
        var stats = await Stub.StatsAsync(stub);
        if (phase == "new" && stats["OmneoCreate"] != customers)
        {
            Console.WriteLine($"  warning: {stats["OmneoCreate"]} profiles created for {customers} new customers");
        }

        var done = Field(backfill, "done").GetInt64();
        var finished = Field(backfill, "finishedAt").GetDateTimeOffset();
        var own = (finished - Field(backfill, "startedAt").GetDateTimeOffset()).TotalSeconds;
        // From the request to the bridge's own finish mark (same clock, same machine; milliseconds), not to the poll
        // that saw it, so the poll interval does not enter the rate.
        var elapsed = Math.Min((finished - posted).TotalSeconds, clock.Elapsed.TotalSeconds);
        return new BackfillResult(
            build,
            parallelism,
            bridges.Count,
            phase,
            customers / Math.Max(elapsed, 0.001),
            done / Math.Max(own, 0.001),
            (cpu1 - cpu0) * 1e6 / customers,
            (stubCpu1 - stubCpu0) * 1e6 / customers,
            bridges.Sum(b => ProcStat.PeakRssMb(b.ProcessId)),
            (double)stats.Values.Sum() / customers);
    }

    /// <summary>A property of the status answer, whether it is written camelCase or snake_case.</summary>
    private static JsonElement Field(JsonElement element, string name) =>
        element.EnumerateObject().First(p => string.Equals(p.Name.Replace("_", "", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>A new, empty database on the server <paramref name="server"/> points at.</summary>
    internal static async Task<string> CreateDatabaseAsync(string server)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new Npgsql.NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    /// <summary>Stops every bridge of a run.</summary>
    private sealed class Bridges(IReadOnlyList<BridgeProcess> bridges) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var bridge in bridges)
            {
                await bridge.DisposeAsync();
            }
        }
    }

    private static string Load() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
}
