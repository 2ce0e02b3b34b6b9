using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Tests.Infrastructure;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Observability;

/// <summary>
/// Spans and metrics are recorded only for an exporter: OTLP (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, a process variable),
/// Prometheus (<c>Metrics:Prometheus</c>, metrics only) or one the host adds itself (<c>Metrics:HostExporter</c>, as
/// <see cref="TelemetryFixture"/> does). With none, a host's in-memory exporter here sees nothing: nothing the bridge
/// would have recorded could have left the process, and a warm login no longer pays for it (issue 14).
/// </summary>
[Collection(OmneoSfccBridge.Tests.Sync.SyncCollection.Name)]
public sealed class TelemetryExportTests : IDisposable
{
    private readonly UpstreamStubs _stubs = new();
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];

    public void Dispose() => _stubs.Dispose();

    private BridgeFactory Bridge(Dictionary<string, string?> overrides) => new(_stubs, overrides: overrides)
    {
        ExtraServices = services => services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics))
            .WithTracing(tracing => tracing.AddInMemoryExporter(_spans)),
    };

    /// <summary>A guest login through the whole pipeline: the request, the SFCC check and the Omneo token call.</summary>
    private async Task GuestLoginAsync(BridgeFactory bridge)
    {
        var guestId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Guest(guestId, bridge.Time.GetUtcNow());
        _stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));
        _stubs.OmneoIssuesTokens(bridge.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds());

        var response = await bridge.CreateClient().SendAsync(Http.Login("Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        bridge.Services.GetRequiredService<TracerProvider>().ForceFlush();
        bridge.Services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    private List<string> MetricNames()
    {
        lock (_metrics)
        {
            return [.. _metrics.Select(m => m.Name)];
        }
    }

    private List<Activity> Spans()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    [Fact]
    public async Task Login_NoExporterConfigured_RecordsNoSpanAndNoMetric()
    {
        using var bridge = Bridge([]);

        await GuestLoginAsync(bridge);

        Assert.Empty(Spans());
        Assert.Empty(MetricNames());
    }

    [Fact]
    public async Task Login_PrometheusOnly_RecordsMetricsButNoSpan()
    {
        using var bridge = Bridge(new() { ["Metrics:Prometheus"] = "true" });

        await GuestLoginAsync(bridge);

        Assert.Empty(Spans());
        Assert.Contains("bridge.logins", MetricNames());
        Assert.Contains("http.server.request.duration", MetricNames());
        Assert.Contains("http.client.request.duration", MetricNames());
    }

    [Fact]
    public async Task Login_HostExporter_RecordsTheRequestAndUpstreamSpansAndMetrics()
    {
        using var bridge = Bridge(new() { ["Metrics:HostExporter"] = "true" });

        await GuestLoginAsync(bridge);

        // The server span ends when hosting disposes the request, which can come after the client has read the answer.
        await Eventually.ReturnsAsync(() => Spans().FirstOrDefault(s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /login"));
        Assert.Contains(Spans(), s => s.Kind == ActivityKind.Client && s.DisplayName == "POST /auth/token");
        Assert.Contains("bridge.logins", MetricNames());
        Assert.Contains("bridge.upstream.request.duration", MetricNames());
    }
}
