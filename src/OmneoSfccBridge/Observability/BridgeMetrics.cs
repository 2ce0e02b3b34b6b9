using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OmneoSfccBridge.Observability;

/// <summary>
/// The bridge's own instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>. Tag values come from small
/// fixed sets (kinds, outcomes, upstream names, client method names, job class names): never an id, an e-mail address,
/// a token or anything else a customer typed.
/// </summary>
internal sealed class BridgeMetrics
{
    /// <summary>The name of the bridge's meter and of its activity source.</summary>
    public const string MeterName = "OmneoSfccBridge";

    /// <summary>Spans of the bridge's own work (Hangfire job runs); requests and upstream calls come from the framework.</summary>
    public static readonly ActivitySource ActivitySource = new(MeterName);

    // Upstream calls and jobs: from a few milliseconds to a backfill page's minute.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly Counter<long> _logins;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _verdictCache;
    private readonly Counter<long> _jobRuns;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Counter<long> _idempotentReplays;
    private SyncSnapshot _sync = SyncSnapshot.Unknown;

    public BridgeMetrics(IMeterFactory meters, TimeProvider time)
    {
        var meter = meters.Create(MeterName);
        _logins = meter.CreateCounter<long>("bridge.logins", "{login}", "Logins by kind (basic, ocapi, slas, bearer, storefront) and outcome (ok, refused, upstream_failure, error).");
        _upstreamDuration = meter.CreateHistogram("bridge.upstream.request.duration", "s", "Duration of upstream calls (after retries) by system, operation and status.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _verdictCache = meter.CreateCounter<long>("bridge.verdict_cache.lookups", "{lookup}", "Shopper token verdict cache lookups by result (hit, miss).");
        _jobRuns = meter.CreateCounter<long>("bridge.job.runs", "{run}", "Hangfire job runs by job and outcome (succeeded, failed, canceled).");
        _jobDuration = meter.CreateHistogram("bridge.job.duration", "s", "Duration of Hangfire job runs by job and outcome.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _webhookDeliveries = meter.CreateCounter<long>("bridge.webhook.deliveries", "{delivery}", "Omneo webhook deliveries received by outcome (accepted, duplicate, bad_signature, invalid).");
        _idempotentReplays = meter.CreateCounter<long>("bridge.registration.idempotent_replays", "{replay}", "POST /create answered from the idempotency store.");
        meter.CreateObservableGauge("bridge.sync.lag", () => SyncLag(time), "s", "Now minus the SFCC → Omneo delta watermark (absent until the first delta).");
        meter.CreateObservableGauge("bridge.backfill.customers.done", () => Backfill(b => b.Done), "{customer}", "Customers the current or last backfill has read.");
        meter.CreateObservableGauge("bridge.backfill.customers.total", () => Backfill(b => b.Total), "{customer}", "Customers SFCC reported when the backfill started (absent when unknown).");
        meter.CreateObservableGauge("bridge.backfill.rate", () => BackfillRate(), "{customer}/s", "Customers per second of the current or last backfill.");
        meter.CreateObservableGauge("bridge.backfill.running", () => Backfill(b => b.Running ? 1 : 0), null, "1 while a backfill runs, else 0.");
    }

    public void Login(string kind, string outcome) =>
        _logins.Add(1, new TagList { { "login.kind", kind }, { "login.outcome", outcome } });

    public void UpstreamCall(string system, string operation, int? status, string? errorType, TimeSpan duration)
    {
        var tags = new TagList { { "upstream.system", system }, { "upstream.operation", operation } };
        if (status is { } code)
        {
            tags.Add("http.response.status_code", code);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _upstreamDuration.Record(duration.TotalSeconds, tags);
    }

    public void VerdictCache(bool hit) => _verdictCache.Add(1, new KeyValuePair<string, object?>("cache.result", hit ? "hit" : "miss"));

    public void JobRun(string job, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "job.name", job }, { "job.outcome", outcome } };
        _jobRuns.Add(1, tags);
        _jobDuration.Record(duration.TotalSeconds, tags);
    }

    public void WebhookDelivery(string outcome) => _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("webhook.outcome", outcome));

    public void IdempotentReplay() => _idempotentReplays.Add(1);

    /// <summary>The sync state the gauges report, refreshed by the sync's sampler from the shared store.</summary>
    internal void Observe(SyncSnapshot snapshot) => _sync = snapshot;

    private IEnumerable<Measurement<double>> SyncLag(TimeProvider time) =>
        _sync.Watermark is { } watermark ? [new Measurement<double>(Math.Max((time.GetUtcNow() - watermark).TotalSeconds, 0))] : [];

    private IEnumerable<Measurement<long>> Backfill(Func<BackfillGauges, long?> value) =>
        _sync.Backfill is { } progress && value(progress) is { } v ? [new Measurement<long>(v)] : [];

    private IEnumerable<Measurement<double>> BackfillRate() =>
        _sync.Backfill is { } progress ? [new Measurement<double>(progress.RatePerSecond)] : [];
}
