namespace OmneoSfccBridge.Observability;

/// <summary>The stored sync state behind the gauges: the delta watermark and the backfill's progress.</summary>
internal sealed record SyncSnapshot(DateTimeOffset? Watermark, BackfillGauges? Backfill)
{
    public static readonly SyncSnapshot Unknown = new(null, null);
}
