using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Admin;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

internal static class SyncAdminEndpoints
{
    public const string StatusPath = "/admin/sync/status";

    public static WebApplication MapSyncAdminEndpoints(this WebApplication app)
    {
        var sync = app.MapGroup("/admin/sync").WithTags("Admin").AddEndpointFilter<AdminKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        sync.MapPost("/sfcc-to-omneo", RunDelta).WithName("RunDelta");
        sync.MapGet("/status", GetStatusAsync).WithName("SyncStatus");
        sync.MapPost("/retry-failed", RetryFailedAsync).WithName("RetryFailed");
        sync.MapPost("/backfill", StartBackfillAsync).WithName("StartBackfill").ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Queues the delta now (the lease keeps it single if the recurring one is running).</summary>
    internal static Accepted<SyncQueued> RunDelta(IBackgroundJobClient jobs)
    {
        var id = jobs.Enqueue<DeltaSyncJob>(job => job.RunAsync(CancellationToken.None));
        return TypedResults.Accepted(StatusPath, new SyncQueued(id, $"Delta queued: it runs in the background, usually within seconds. It has run when {StatusPath} lists a newer entry in last_runs with outcome completed."));
    }

    internal static async Task<Ok<SyncStatus>> GetStatusAsync(SyncStore store, WebhookEventStore webhooks, IOptions<SyncOptions> options, IOptions<SfccOptions> sfcc, CancellationToken cancellationToken)
    {
        var listId = sfcc.Value.CustomerListId;
        var (conflicts, failures, links) = await store.TotalsAsync(listId, cancellationToken);
        return TypedResults.Ok(new SyncStatus(
            DeltaSyncJob.ParseWatermark(await store.GetStateAsync(DeltaSyncJob.WatermarkKey, cancellationToken)),
            options.Value.DeltaIntervalMinutes,
            links,
            await store.RecentRunsAsync(10, cancellationToken),
            await webhooks.WebhookCountsAsync(cancellationToken),
            conflicts,
            await store.RecentConflictsAsync(listId, 20, cancellationToken),
            failures,
            await store.FailuresAsync(listId, 100, cancellationToken),
            BackfillView.Of(await store.GetBackfillAsync(cancellationToken))));
    }

    /// <summary>Queues every set-aside customer again (up to 10,000 per call) and every other feature's pending work (the webhook deliveries still pending).</summary>
    internal static async Task<Accepted<SyncQueued>> RetryFailedAsync(SyncStore store, IBackgroundJobClient jobs, IOptions<SfccOptions> sfcc, IEnumerable<IRetryOnDemand> others, CancellationToken cancellationToken)
    {
        var failures = await store.FailuresAsync(sfcc.Value.CustomerListId, 10_000, cancellationToken);
        foreach (var failure in failures)
        {
            jobs.Enqueue<CustomerSyncJob>(job => job.RunAsync(failure.CustomerNo, failure.Direction, CancellationToken.None));
        }

        var queued = new List<string> { $"{failures.Count} customers" };
        foreach (var other in others)
        {
            queued.Add($"{await other.RequeueAsync(cancellationToken)} {other.Noun}");
        }

        return TypedResults.Accepted(StatusPath, new SyncQueued("", $"{string.Join(" and ", queued)} queued: they run in the background; {StatusPath} shows what is still failed or pending."));
    }

    /// <summary>Starts the day-zero backfill from the first customer; 409 while one is running (it resumes by itself after a restart).</summary>
    internal static async Task<Results<Accepted<BackfillQueued>, ProblemHttpResult>> StartBackfillAsync(SyncStore store, IBackgroundJobClient jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = BackfillProgress.FromJson(await store.GetStateAsync(BackfillProgress.Key, cancellationToken));
        if (current is { Status: RunStatus.Running })
        {
            return TypedResults.Problem($"A backfill is running; follow it on {StatusPath}.", statusCode: StatusCodes.Status409Conflict, title: "Backfill running");
        }

        // Page numbers go on from the last run's, so a stale job of an earlier run never takes a page of this one.
        var now = time.GetUtcNow();
        var page = await store.NewBackfillFirstPageAsync(current?.Page ?? 0, cancellationToken);
        var progress = new BackfillProgress(RunStatus.Running, null, 0, page, 0, null, now, now, null);
        await store.AddBackfillPageAsync(page, null, 0, cancellationToken);
        await store.SetStateAsync(BackfillProgress.Key, progress.ToJson(), cancellationToken);
        jobs.Enqueue<BackfillJob>(job => job.RunPageAsync(page, CancellationToken.None));
        return TypedResults.Accepted(StatusPath, new BackfillQueued($"Backfill queued: it runs in the background, page by page; follow backfill in {StatusPath} until its status is completed.", BackfillView.Of(progress)!));
    }
}
