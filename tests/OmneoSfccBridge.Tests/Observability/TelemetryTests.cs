using System.Diagnostics;
using System.Net;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Observability;
using OmneoSfccBridge.Tests.Infrastructure;
using OmneoSfccBridge.Webhooks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Observability;

/// <summary>
/// A bridge whose metrics and spans also go to in-memory exporters (<c>Metrics:HostExporter</c>: the host adds its own
/// exporter, so the bridge records spans without an OTLP endpoint), with the Prometheus endpoint on. The bridge's
/// meter name is shared by every bridge in the test process, so counts are compared before and after, as at least.
/// </summary>
public sealed class TelemetryFixture : IDisposable
{
    public TelemetryFixture()
    {
        Stubs = new UpstreamStubs();
        Bridge = new BridgeFactory(Stubs, overrides: new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true", ["Metrics:HostExporter"] = "true" })
        {
            ExtraServices = services => services.AddOpenTelemetry()
                .WithMetrics(metrics => metrics.AddInMemoryExporter(Metrics))
                .WithTracing(tracing => tracing.AddInMemoryExporter(Spans)),
        };
    }

    public UpstreamStubs Stubs { get; }

    public BridgeFactory Bridge { get; }

    public List<MetricSnapshot> Metrics { get; } = [];

    public List<Activity> Spans { get; } = [];

    public void Dispose()
    {
        Bridge.Dispose();
        Stubs.Dispose();
    }
}

/// <summary>A point of a collected metric: its tags and its sum (a counter) or count (a histogram).</summary>
public sealed record Point(IReadOnlyDictionary<string, object?> Tags, double Value)
{
    public bool Has(string key, object value) => Tags.TryGetValue(key, out var v) && Equals(v?.ToString(), value.ToString());
}

// With the jobs: Hangfire's process-wide state is safest away from the parallel hosts.
[Collection(OmneoSfccBridge.Tests.Sync.SyncCollection.Name)]
public sealed class TelemetryTests : IClassFixture<TelemetryFixture>
{
    private readonly TelemetryFixture _fixture;
    private readonly HttpClient _client;

    public TelemetryTests(TelemetryFixture fixture)
    {
        _fixture = fixture;
        fixture.Stubs.Reset();
        _client = fixture.Bridge.CreateClient();
    }

    private UpstreamStubs Stubs => _fixture.Stubs;

    private DateTimeOffset Now => _fixture.Bridge.Time.GetUtcNow();

    /// <summary>Collects now and returns every point of every metric (cumulative since the bridge started).</summary>
    private Dictionary<string, List<Point>> Collect()
    {
        var provider = _fixture.Bridge.Services.GetRequiredService<MeterProvider>();
        lock (_fixture.Metrics)
        {
            _fixture.Metrics.Clear();
            provider.ForceFlush();
            var result = new Dictionary<string, List<Point>>();
            foreach (var metric in _fixture.Metrics)
            {
                var points = result.TryGetValue(metric.Name, out var list) ? list : result[metric.Name] = [];
                foreach (var point in metric.MetricPoints)
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }

                    var value = metric.MetricType switch
                    {
                        MetricType.LongSum => point.GetSumLong(),
                        MetricType.DoubleSum => point.GetSumDouble(),
                        MetricType.Histogram => point.GetHistogramCount(),
                        MetricType.LongGauge => point.GetGaugeLastValueLong(),
                        MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                        _ => 0,
                    };
                    points.Add(new Point(tags, value));
                }
            }

            return result;
        }
    }

    private static double Sum(Dictionary<string, List<Point>> metrics, string name, params (string Key, object Value)[] tags) =>
        metrics.TryGetValue(name, out var points) ? points.Where(p => tags.All(t => p.Has(t.Key, t.Value))).Sum(p => p.Value) : 0;

    private double Logins(string kind, string outcome) =>
        Sum(Collect(), "bridge.logins", ("login.kind", kind), ("login.outcome", outcome));

    private void CustomerCanLogIn(string customerId, string customerNo, string email, string password)
    {
        Stubs.SfccAcceptsCredentials(email, password, Customer(customerId, customerNo, email), OcapiTokens.Registered(customerId, Now));
        Stubs.OmneoFindsIdentity(customerNo, Profile("9" + customerNo[^3..], email, identities: ("sfcc", customerNo)));
        Stubs.OmneoIssuesTokens(Now.AddMinutes(15).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Login_BasicAccepted_CountsBasicOkAndTimesTheUpstreamCalls()
    {
        CustomerCanLogIn(OcapiTokens.NewCustomerId(), "00009101", "ota@example.com", "pw-9101");
        var before = Collect();

        var response = await _client.SendAsync(Http.Login(Http.Basic("ota@example.com", "pw-9101")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = Collect();
        Assert.True(Sum(after, "bridge.logins", ("login.kind", "basic"), ("login.outcome", "ok")) >= Sum(before, "bridge.logins", ("login.kind", "basic"), ("login.outcome", "ok")) + 1);
        const string duration = "bridge.upstream.request.duration";
        Assert.True(Sum(after, duration, ("upstream.system", "sfcc"), ("http.response.status_code", 200)) > Sum(before, duration, ("upstream.system", "sfcc"), ("http.response.status_code", 200)));
        Assert.True(Sum(after, duration, ("upstream.system", "omneo"), ("http.response.status_code", 200)) > Sum(before, duration, ("upstream.system", "omneo"), ("http.response.status_code", 200)));
        Assert.All(after[duration], p => Assert.False(string.IsNullOrEmpty(p.Tags["upstream.operation"]?.ToString())));
    }

    [Fact]
    public async Task Login_BasicRefused_CountsBasicRefused()
    {
        Stubs.SfccRefusesOtherCredentials();
        var before = Logins("basic", "refused");

        var response = await _client.SendAsync(Http.Login(Http.Basic("nobody@example.com", "wrong")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(Logins("basic", "refused") >= before + 1);
    }

    [Fact]
    public async Task Login_OcapiToken_CountsOcapiOkThenAVerdictCacheHit()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00009102", "otb@example.com"));
        Stubs.OmneoFindsIdentity("00009102", Profile("9102", "otb@example.com", identities: ("sfcc", "00009102")));
        Stubs.OmneoIssuesTokens(Now.AddMinutes(15).ToUnixTimeSeconds());
        var before = Collect();

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Http.Login("Bearer " + token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Http.Login("Bearer " + token))).StatusCode);

        var after = Collect();
        Assert.True(Sum(after, "bridge.logins", ("login.kind", "ocapi"), ("login.outcome", "ok")) >= Sum(before, "bridge.logins", ("login.kind", "ocapi"), ("login.outcome", "ok")) + 2);
        Assert.True(Sum(after, "bridge.verdict_cache.lookups", ("cache.result", "hit")) >= Sum(before, "bridge.verdict_cache.lookups", ("cache.result", "hit")) + 1);
    }

    [Fact]
    public async Task Login_SfccFails_CountsUpstreamFailureAndRecordsTheStatus()
    {
        Stubs.Sfcc.Given(WireMock.RequestBuilders.Request.Create().WithPath(Shop + "/customers/auth").UsingPost())
            .RespondWith(Json(500, new { fault = new { type = "InternalServerError" } }));
        var before = Collect();

        var response = await _client.SendAsync(Http.Login(Http.Basic("otc@example.com", "pw")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var after = Collect();
        Assert.True(Sum(after, "bridge.logins", ("login.kind", "basic"), ("login.outcome", "upstream_failure")) >= Sum(before, "bridge.logins", ("login.kind", "basic"), ("login.outcome", "upstream_failure")) + 1);
        (string, object)[] failed = [("upstream.system", "sfcc"), ("http.response.status_code", 500), ("error.type", "500")];
        Assert.True(Sum(after, "bridge.upstream.request.duration", failed) >= Sum(before, "bridge.upstream.request.duration", failed) + 1);
    }

    [Fact]
    public async Task Job_Run_IsASpanAndCountedByOutcome()
    {
        (string, object)[] succeeded = [("job.name", nameof(WebhookPurgeJob)), ("job.outcome", "succeeded")];
        var before = Sum(Collect(), "bridge.job.runs", succeeded);

        _fixture.Bridge.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<WebhookPurgeJob>(job => job.RunAsync(CancellationToken.None));

        await Eventually.ReturnsAsync(() => Sum(Collect(), "bridge.job.runs", succeeded) > before ? "counted" : null);
        var provider = _fixture.Bridge.Services.GetRequiredService<TracerProvider>();
        provider.ForceFlush();
        lock (_fixture.Spans)
        {
            Assert.Contains(_fixture.Spans, span => span.DisplayName == "job " + nameof(WebhookPurgeJob) && span.Source.Name == BridgeMetrics.MeterName);
        }
    }

    [Fact]
    public async Task Tags_AfterLogins_NeverCarryACustomerNumberEmailOrToken()
    {
        var customerId = OcapiTokens.NewCustomerId();
        CustomerCanLogIn(customerId, "00009104", "otd@example.com", "pw-9104");
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00009104", "otd@example.com"));
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Http.Login(Http.Basic("otd@example.com", "pw-9104")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Http.Login("Bearer " + token))).StatusCode);

        var values = Collect().Values.SelectMany(points => points).SelectMany(p => p.Tags.Values).Select(v => v?.ToString() ?? "").ToList();

        Assert.NotEmpty(values);
        string[] secrets = ["00009104", "otd@example.com", "pw-9104", customerId, token, "9104"];
        Assert.All(values, value => Assert.DoesNotContain(secrets, secret => value.Contains(secret, StringComparison.OrdinalIgnoreCase)));
        var provider = _fixture.Bridge.Services.GetRequiredService<TracerProvider>();
        provider.ForceFlush();
        lock (_fixture.Spans)
        {
            var upstreamSpans = _fixture.Spans.Where(s => s.Kind == ActivityKind.Client).ToList();
            Assert.NotEmpty(upstreamSpans);
            Assert.All(upstreamSpans.SelectMany(s => s.Tags).Select(t => t.Value ?? ""), value => Assert.DoesNotContain(secrets, secret => value.Contains(secret, StringComparison.OrdinalIgnoreCase)));
        }
    }

    [Fact]
    public async Task Problem_WithIncomingTraceparent_TraceIdIsThatTrace()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var request = Http.Login("Digest nonsense");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var response = await _client.SendAsync(request);

        await response.AssertProblemAsync(400);
        Assert.Equal(traceId, (await response.JsonAsync()).GetProperty("trace_id").GetString());
    }

    [Fact]
    public async Task Metrics_WithoutAdminKey_Is401Problem()
    {
        var response = await _client.GetAsync(ObservabilityExtensions.MetricsPath);

        await response.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Metrics_WithAdminKey_ServesPrometheusText()
    {
        Stubs.SfccRefusesOtherCredentials();
        await _client.SendAsync(Http.Login(Http.Basic("nobody@example.com", "wrong")));
        using var request = new HttpRequestMessage(HttpMethod.Get, ObservabilityExtensions.MetricsPath);
        request.Headers.Add(OmneoSfccBridge.Admin.AdminKey.HeaderName, BridgeFactory.AdminKey);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("bridge_logins_total{", await response.Content.ReadAsStringAsync());
    }
}

public sealed class MetricsOffTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    [Fact]
    public async Task Metrics_Off_Is404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ObservabilityExtensions.MetricsPath);
        request.Headers.Add(OmneoSfccBridge.Admin.AdminKey.HeaderName, BridgeFactory.AdminKey);

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
