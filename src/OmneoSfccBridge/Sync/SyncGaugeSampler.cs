using OmneoSfccBridge.Observability;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// Reads the delta watermark and the backfill's progress from the store every few seconds for the gauges: an
/// observable gauge's callback must not wait on a database, and reading the shared store (rather than remembering what
/// this process wrote) keeps the gauges right on every instance, whichever one ran the job.
/// </summary>
internal sealed partial class SyncGaugeSampler(SyncStore store, BridgeMetrics metrics, TimeProvider time, ILogger<SyncGaugeSampler> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var watermark = DeltaSyncJob.ParseWatermark(await store.GetStateAsync(DeltaSyncJob.WatermarkKey, stoppingToken));
                var backfill = await store.GetBackfillAsync(stoppingToken);
                metrics.Observe(new SyncSnapshot(watermark, backfill is null ? null : new BackfillGauges(backfill.Done, backfill.Total, backfill.RatePerSecond, backfill.Status == RunStatus.Running)));
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or System.Text.Json.JsonException)
            {
                LogSampleFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1791, Level = LogLevel.Warning, Message = "Could not read the sync state for the metrics")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
