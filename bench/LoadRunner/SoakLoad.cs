using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.LoadRunner;

/// <summary>
/// Issue 14 part 5, the soak: warm logins at a steady rate (open loop) for the whole run while a backfill of N stub
/// customers runs in the same bridge. The logins start first (a minute with no backfill: the "before" window), then
/// the backfill is started as <c>backfill</c> starts it (<c>POST /admin/sync/backfill</c>); when it completes before
/// the end, the rest of the run is the "after" window. Prints per minute: logins sent, ok, errors (non-2xx, timeouts,
/// other failures), p50/p99, the bridge's RSS and CPU, the backfill's progress; then a summary. Exit code 1 on any error.
/// </summary>
internal static class SoakLoad
{
    public static async Task<int> RunAsync(Args args)
    {
        var minutes = args.Int("--minutes", 10);
        var customers = args.Int("--customers", 100_000);
        var beforeSeconds = args.Int("--before-seconds", 60);
        var timeout = TimeSpan.FromSeconds(args.Int("--timeout-seconds", 10));
        var kind = LoginKinds.All.Single(k => k.Name == (args.Get("--kinds") ?? "ocapi-bearer"));
        var postgres = args.Get("--postgres");

        await using var stub = await Stub.StartAsync(customers, latencyMs: args.Int("--latency", 0));
        using var stubClient = new HttpClient { BaseAddress = stub.Url };
        var settings = Stub.BridgeSettings(stub.Url);
        foreach (var (key, value) in kind.BridgeSettings(stub.Url))
        {
            settings[key] = value;
        }

        if (postgres is not null)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["ConnectionStrings:Bridge"] = await BackfillLoad.CreateDatabaseAsync(postgres);
        }

        await using var bridge = new BridgeProcess(settings, bridgeDll: args.Get("--bridge-dll"));
        await bridge.StartAsync();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = bridge.Url, Timeout = timeout };
        using var admin = new HttpClient { BaseAddress = bridge.Url, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Add("X-Admin-Key", Stub.AdminKey);
        var login = await kind.RequestAsync(stubClient);

        for (var i = 0; i < 20; i++)
        {
            using var request = login.ToMessage();
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"warm-up login answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{bridge.Output}");
            }
        }

        var rate = args.Get("--rate") is { } given ? double.Parse(given, CultureInfo.InvariantCulture) : await HalfTheMaximumAsync(http, login, bridge.ProcessId);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {minutes} min of {kind.Name} logins at {rate:0}/s (open loop, latency from the intended send time), backfill of {customers} customers from {beforeSeconds} s, storage {(postgres is null ? "SQLite" : "PostgreSQL")}; load average {Load()}"));

        var soak = new OpenLoop(http, login, rate);
        var monitor = new ProcessWatch(bridge.ProcessId, admin);
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromMinutes(minutes);
        using var stop = new CancellationTokenSource();
        var generator = soak.RunAsync(clock, duration);
        var sampler = monitor.RunAsync(clock, stop.Token);
        var backfillStarted = false;
        for (var minute = 1; minute <= minutes; minute++)
        {
            while (clock.Elapsed < TimeSpan.FromMinutes(minute))
            {
                if (!backfillStarted && clock.Elapsed >= TimeSpan.FromSeconds(beforeSeconds))
                {
                    await Stub.ResetStatsAsync(stubClient);
                    (await admin.PostAsync(new Uri("/admin/sync/backfill", UriKind.Relative), null)).EnsureSuccessStatusCode();
                    monitor.BackfillStarted(clock.Elapsed);
                    backfillStarted = true;
                }

                await Task.Delay(200);
            }

            Console.WriteLine(MinuteLine(minute, soak.Samples(), monitor, live: true));
        }

        await generator;
        await stop.CancelAsync();
        await sampler;
        var stats = await Stub.StatsAsync(stubClient);
        using var status = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/sync/status", UriKind.Relative)));
        var failed = status.RootElement.EnumerateObject().FirstOrDefault(p => p.Name.Replace("_", "", StringComparison.Ordinal).Equals("failedRecordsTotal", StringComparison.OrdinalIgnoreCase)).Value;
        return Summarise(minutes, soak, monitor, stats, failed.ValueKind == JsonValueKind.Number ? failed.GetInt64() : -1, bridge.PeakResidentBytes() is { } peak ? peak / 1048576 : -1);
    }

    /// <summary>A closed-loop burst (32 connections, 5 s warm-up, 10 s measured) without a backfill; half its rate.</summary>
    private static async Task<double> HalfTheMaximumAsync(HttpClient http, LoginRequest login, int bridgePid)
    {
        async Task<long> BurstAsync(TimeSpan length)
        {
            long done = 0;
            var until = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                while (until.Elapsed < length)
                {
                    using var request = login.ToMessage();
                    using var response = await http.SendAsync(request);
                    response.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref done);
                }
            }));
            return done;
        }

        await BurstAsync(TimeSpan.FromSeconds(5));
        var cpu0 = ProcStat.CpuSeconds(bridgePid);
        var clock = Stopwatch.StartNew();
        var logins = await BurstAsync(TimeSpan.FromSeconds(10));
        var max = logins / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"closed-loop burst, 32 connections, 10 s: {max:0} logins/s, bridge cpu {(ProcStat.CpuSeconds(bridgePid) - cpu0) * 1e6 / logins:0} µs/login; load average {Load()}"));
        return max / 2;
    }

    private static string MinuteLine(int minute, IReadOnlyList<Sample> samples, ProcessWatch monitor, bool live)
    {
        var from = TimeSpan.FromMinutes(minute - 1).Ticks;
        var to = TimeSpan.FromMinutes(minute).Ticks;
        var window = samples.Where(s => s.Intended >= from && s.Intended < to).ToList();
        var ok = window.Where(s => s.Outcome == Outcome.Ok).Select(s => s.LatencyUs).ToArray();
        var (rssMin, rssMax, cpu, done, total, state, load) = monitor.Minute(minute);
        return string.Create(CultureInfo.InvariantCulture,
            $"minute {minute,2}: sent {window.Count,6} ok {ok.Length,6} errors {Errors(window)}{(live ? $" (in flight {window.Count(s => s.Outcome == Outcome.InFlight)})" : "")} p50 {Percentile(ok, 0.50) / 1000,6:0.0} ms p99 {Percentile(ok, 0.99) / 1000,7:0.0} ms (send lag p99 {Percentile([.. window.Select(s => s.LagUs)], 0.99) / 1000:0.0} ms) | bridge RSS {rssMin}-{rssMax} MB cpu {cpu,3:0} % | backfill {state} {done}/{total?.ToString(CultureInfo.InvariantCulture) ?? "?"} | load {load}");
    }

    private static int Summarise(int minutes, OpenLoop soak, ProcessWatch monitor, Dictionary<string, long> stats, long failedRecords, long peakRssMb)
    {
        var samples = soak.Samples();
        Console.WriteLine("== per minute (complete: every login answered or timed out) ==");
        for (var minute = 1; minute <= minutes; minute++)
        {
            Console.WriteLine(MinuteLine(minute, samples, monitor, live: false));
        }

        var (started, finished) = (monitor.StartedAt?.Ticks ?? long.MaxValue, monitor.FinishedAt?.Ticks ?? long.MaxValue);
        var errors = samples.Count(s => s.Outcome is not Outcome.Ok);
        var rss = Enumerable.Range(1, minutes).Select(monitor.Minute).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== summary: {samples.Count} logins at {soak.Rate:0}/s, errors {Errors(samples)} (total {errors}, must be 0); bridge RSS per minute min {rss.Min(r => r.RssMin)} MB, max {rss.Max(r => r.RssMax)} MB, peak (VmHWM) {peakRssMb} MB; load average at the end {Load()} =="));
        foreach (var (name, from, to) in new[] { ("before the backfill", 0L, started), ("during the backfill", started, finished), ("after the backfill", finished, long.MaxValue) })
        {
            var ok = samples.Where(s => s.Intended >= from && s.Intended < to && s.Outcome == Outcome.Ok).Select(s => s.LatencyUs).ToArray();
            Console.WriteLine(ok.Length == 0
                ? $"   {name}: no logins"
                : string.Create(CultureInfo.InvariantCulture, $"   {name}: {ok.Length} logins ok, p50 {Percentile(ok, 0.50) / 1000:0.0} ms, p99 {Percentile(ok, 0.99) / 1000:0.0} ms, p99.9 {Percentile(ok, 0.999) / 1000:0.0} ms, max {ok.Max() / 1000.0:0.0} ms"));
        }

        Console.WriteLine(monitor.FinishedAt is { } end
            ? string.Create(CultureInfo.InvariantCulture, $"   backfill: {monitor.Total} customers in {(end - monitor.StartedAt!.Value).TotalSeconds:0} s ({monitor.Total / (end - monitor.StartedAt!.Value).TotalSeconds:0}/s), failed records {failedRecords}; upstream calls {Stub.Describe(stats, 1)}")
            : $"   backfill: not completed within the soak ({monitor.Done}/{monitor.Total}), failed records {failedRecords}; upstream calls {Stub.Describe(stats, 1)}");
        return errors == 0 && failedRecords == 0 ? 0 : 1;
    }

    private static string Errors(IReadOnlyCollection<Sample> samples)
    {
        var (status, timeouts, other) = (samples.Count(s => s.Outcome == Outcome.NotSuccess), samples.Count(s => s.Outcome == Outcome.Timeout), samples.Count(s => s.Outcome == Outcome.Failed));
        return status + timeouts + other == 0 ? "0" : $"{status + timeouts + other} (non-2xx {status}, timeouts {timeouts}, other {other})";
    }

    /// <summary>The q-quantile of the values (nearest rank), 0 when there are none.</summary>
    private static double Percentile(long[] values, double q)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        return values[Math.Clamp((int)Math.Ceiling(q * values.Length) - 1, 0, values.Length - 1)];
    }

    private static string Load() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    private enum Outcome : byte
    {
        InFlight,
        Ok,
        NotSuccess,
        Timeout,
        Failed,
    }

    /// <summary>One login: when it was meant to be sent (ticks from the start), its latency from then, how late it left.</summary>
    private readonly record struct Sample(long Intended, long LatencyUs, long LagUs, Outcome Outcome);

    /// <summary>
    /// An open-loop, constant-rate load: login k is due at k / rate seconds from the start, whatever the earlier ones are
    /// doing, and its latency is counted from that due time, so a stalled bridge (or a late sender) shows in the
    /// percentiles instead of silently lowering the rate (coordinated omission). A dedicated thread dispatches what is due
    /// every millisecond; each login is then an independent async send.
    /// </summary>
    private sealed class OpenLoop(HttpClient http, LoginRequest login, double rate)
    {
        private readonly List<Sample> _done = [];
        private readonly Dictionary<long, long> _inFlight = [];
        private long _next;

        public double Rate => rate;

        public async Task RunAsync(Stopwatch clock, TimeSpan duration)
        {
            var dispatcher = new Thread(() =>
            {
                var total = (long)(duration.TotalSeconds * rate);
                while (_next < total)
                {
                    var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
                    for (; _next < due; _next++)
                    {
                        var intended = TimeSpan.FromSeconds(_next / rate).Ticks;
                        lock (_done)
                        {
                            _inFlight[_next] = intended;
                        }

                        _ = SendAsync(_next, intended, clock);
                    }

                    Thread.Sleep(1);
                }
            })
            { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "soak dispatcher" };
            dispatcher.Start();
            await Task.Run(dispatcher.Join);
            while (true)
            {
                lock (_done)
                {
                    if (_inFlight.Count == 0)
                    {
                        return;
                    }
                }

                await Task.Delay(100);
            }
        }

        /// <summary>Every login so far; those not answered yet as <see cref="Outcome.InFlight"/>.</summary>
        public IReadOnlyList<Sample> Samples()
        {
            lock (_done)
            {
                return [.. _done, .. _inFlight.Values.Select(intended => new Sample(intended, 0, 0, Outcome.InFlight))];
            }
        }

        private async Task SendAsync(long id, long intended, Stopwatch clock)
        {
            await Task.Yield();
            var lag = clock.Elapsed.Ticks - intended;
            Outcome outcome;
            try
            {
                using var request = login.ToMessage();
                using var response = await http.SendAsync(request);
                outcome = response.StatusCode is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices ? Outcome.Ok : Outcome.NotSuccess;
            }
            catch (TaskCanceledException)
            {
                outcome = Outcome.Timeout;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ObjectDisposedException)
            {
                outcome = Outcome.Failed;
            }

            var latency = clock.Elapsed.Ticks - intended;
            lock (_done)
            {
                _inFlight.Remove(id);
                _done.Add(new Sample(intended, latency / TimeSpan.TicksPerMicrosecond, lag / TimeSpan.TicksPerMicrosecond, outcome));
            }
        }
    }

    /// <summary>Once a second: the bridge's RSS and CPU, and (once started) the backfill's progress from the status endpoint.</summary>
    private sealed class ProcessWatch(int bridgePid, HttpClient admin)
    {
        private readonly List<(TimeSpan At, long RssMb, double CpuSeconds, long Done, long? Total, string State, string Load)> _points = [];

        public TimeSpan? StartedAt { get; private set; }

        public TimeSpan? FinishedAt { get; private set; }

        public long Done { get; private set; }

        public long? Total { get; private set; }

        public void BackfillStarted(TimeSpan at) => StartedAt = at;

        public async Task RunAsync(Stopwatch clock, CancellationToken stop)
        {
            var state = "not started";
            while (!stop.IsCancellationRequested)
            {
                if (StartedAt is not null && FinishedAt is null)
                {
                    try
                    {
                        using var status = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/sync/status", UriKind.Relative), stop));
                        var backfill = status.RootElement.GetProperty("backfill");
                        state = Field(backfill, "status").GetString() ?? "?";
                        Done = Field(backfill, "done").GetInt64();
                        Total = Field(backfill, "total") is { ValueKind: JsonValueKind.Number } total ? total.GetInt64() : null;
                        if (state == "completed")
                        {
                            FinishedAt = clock.Elapsed;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                    {
                        state = "status unanswered: " + e.GetType().Name;
                    }
                }

                lock (_points)
                {
                    _points.Add((clock.Elapsed, ProcStat.RssMb(bridgePid), ProcStat.CpuSeconds(bridgePid), Done, Total, state, Load()));
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stop);
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        }

        /// <summary>Minute m's RSS range, the bridge's CPU in % of one core over it, and the backfill at its end.</summary>
        public (long RssMin, long RssMax, double CpuPercent, long Done, long? Total, string State, string Load) Minute(int minute)
        {
            lock (_points)
            {
                var inside = _points.Where(p => p.At >= TimeSpan.FromMinutes(minute - 1) && p.At < TimeSpan.FromMinutes(minute)).ToList();
                if (inside.Count < 2)
                {
                    return (0, 0, 0, Done, Total, "?", Load());
                }

                var (first, last) = (inside[0], inside[^1]);
                return (inside.Min(p => p.RssMb), inside.Max(p => p.RssMb), (last.CpuSeconds - first.CpuSeconds) * 100 / (last.At - first.At).TotalSeconds, last.Done, last.Total, last.State, last.Load);
            }
        }

        private static JsonElement Field(JsonElement element, string name) =>
            element.EnumerateObject().First(p => string.Equals(p.Name.Replace("_", "", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
