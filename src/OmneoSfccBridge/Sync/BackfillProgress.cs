using System.Text.Json;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// Where the day-zero backfill stands. Stored as one JSON value, the run's own record: its status, start, total and
/// where its pages begin (<see cref="Page"/> with <see cref="Cursor"/> and <see cref="Skip"/>, the first page's
/// cursor). It is written when the run starts, when its first page learns the total and when its last page is
/// applied; <see cref="Done"/> and <see cref="UpdatedAt"/> as shown add up the run's page rows
/// (<see cref="SyncStore.GetBackfillAsync"/>), which every instance writes without touching this value.
/// </summary>
public sealed record BackfillProgress(
    string Status,
    DateTimeOffset? Cursor,
    int Skip,
    long Page,
    long Done,
    long? Total,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    internal const string Key = "backfill.progress";

    public double RatePerSecond => Done / Math.Max((UpdatedAt - StartedAt).TotalSeconds, 0.001);

    public double? EtaSeconds => Status == RunStatus.Running && Total is { } total && RatePerSecond > 0 ? Math.Max(total - Done, 0) / RatePerSecond : null;

    internal string ToJson() => JsonSerializer.Serialize(this);

    internal static BackfillProgress? FromJson(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<BackfillProgress>(json);
}
