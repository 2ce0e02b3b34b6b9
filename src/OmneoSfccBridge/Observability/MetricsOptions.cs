namespace OmneoSfccBridge.Observability;

/// <summary>Settings of the <c>Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Serve the Prometheus scrape endpoint <c>/metrics</c>, behind the admin key. Off by default.</summary>
    public bool Prometheus { get; set; }
}
