using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// At start-up (after the migrations): registers or removes the recurring delta, and resumes work a crash left
/// behind: a running backfill's pages not yet applied are queued again (their jobs ignore repeats), rather
/// than waiting for Hangfire's invisibility timeout. On SQLite the leases a killed process left are freed first, so
/// the backfill resumes now rather than when they expire; on PostgreSQL another live instance may hold them, so they
/// run out (<see cref="SyncOptions.LeaseSeconds"/>).
/// </summary>
internal sealed class SyncScheduler(IRecurringJobManager recurring, IBackgroundJobClient jobs, SyncStore store, BridgeDatabase database, IOptions<SyncOptions> options, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Provider == StorageProvider.Sqlite)
        {
            // SqliteProcessLock proves no other live process uses this database: any lease in it is a dead holder's.
            await store.ReleaseAllLeasesAsync(cancellationToken);
        }

        // Before the recurring delta exists, so its first run can never see the store without the watermark.
        if (options.Value.WatermarkFromStart && await store.GetStateAsync(DeltaSyncJob.WatermarkKey, cancellationToken) is null)
        {
            await store.SetStateAsync(DeltaSyncJob.WatermarkKey, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), cancellationToken);
        }

        var minutes = options.Value.DeltaIntervalMinutes;
        if (minutes > 0)
        {
            recurring.AddOrUpdate<DeltaSyncJob>(DeltaSyncJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), SyncExtensions.DeltaCron(minutes));
        }
        else
        {
            recurring.RemoveIfExists(DeltaSyncJob.RecurringJobId);
        }

        if (BackfillProgress.FromJson(await store.GetStateAsync(BackfillProgress.Key, cancellationToken)) is { Status: RunStatus.Running } backfill)
        {
            // Every page of the run not applied yet (its first page if none is stored: a run from before page rows).
            var open = await store.OpenBackfillPagesAsync(backfill.Page, cancellationToken);
            foreach (var page in open.Count > 0 ? open : [backfill.Page])
            {
                jobs.Enqueue<BackfillJob>(job => job.RunPageAsync(page, CancellationToken.None));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
