namespace OmneoSfccBridge.Sync;

/// <summary>The backfill as the status endpoint shows it.</summary>
public sealed record BackfillView(string Status, long Done, long? Total, double RatePerSecond, double? EtaSeconds, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt)
{
    internal static BackfillView? Of(BackfillProgress? p) => p is null
        ? null
        : new(p.Status, p.Done, p.Total, Math.Round(p.RatePerSecond, 1), p.EtaSeconds is { } eta ? Math.Round(eta) : null, p.StartedAt, p.UpdatedAt, p.FinishedAt);
}
