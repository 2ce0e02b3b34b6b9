namespace OmneoSfccBridge.Observability;

/// <summary>Settings of the <c>Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Serve the Prometheus scrape endpoint <c>/metrics</c>, behind the admin key. Off by default.</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Record spans and metrics for an exporter the host adds itself (an embedding app, the tests). Without it, spans are
    /// recorded only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and metrics only then or with <see cref="Prometheus"/>:
    /// with no exporter nothing would read them. Off by default.
    /// </summary>
    public bool HostExporter { get; set; }
}
