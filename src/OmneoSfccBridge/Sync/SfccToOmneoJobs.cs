using System.Globalization;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

/// <summary>Keyset position in an ascending search: customers at or after <c>From</c>, skipping <c>Skip</c> that share that timestamp.</summary>
internal readonly record struct SearchCursor(DateTimeOffset? From, int Skip)
{
    /// <summary>The cursor after a page, so the next page starts right after its last customer without deep paging.</summary>
    public SearchCursor After(IReadOnlyList<SfccCustomer> page, Func<SfccCustomer, DateTimeOffset?> key)
    {
        if (page.Count == 0)
        {
            return this;
        }

        var last = key(page[^1]);
        if (last is null || (From is { } from && last <= from))
        {
            return this with { Skip = Skip + page.Count };
        }

        return new SearchCursor(last, page.Count(c => key(c) == last));
    }
}

/// <summary>
/// Pushes one page of SFCC customers to Omneo, a few at a time; a refused record is set aside, an outage fails the page.
/// The page's links are read in one query first: a customer whose document hashes the same as the one last synced
/// (and who has nothing set aside or withheld) is passed over in memory, with no lock, no upstream call and no write.
/// </summary>
internal sealed class PageApplier(CustomerSync sync, SyncStore store, IOptions<SyncOptions> options, IOptions<SfccOptions> sfccOptions)
{
    public async Task<PageCounts> ApplyAsync(IReadOnlyList<SfccCustomer> customers, CancellationToken cancellationToken)
    {
        var numbered = customers.Where(c => !string.IsNullOrEmpty(c.CustomerNo)).ToList();
        var synced = await store.SyncedSfccHashesAsync(sfccOptions.Value.CustomerListId, [.. numbered.Select(c => c.CustomerNo!).Distinct(StringComparer.Ordinal)], cancellationToken);
        var attributes = options.Value.CustomAttributes;
        var changed = numbered
            .Where(c => !synced.TryGetValue(c.CustomerNo!, out var hash) || hash != ProfileMapping.StateOf(c, attributes).Hash())
            .ToList();

        int written = 0, failed = 0;
        await Parallel.ForEachAsync(
            changed,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
            async (customer, ct) =>
            {
                switch (await sync.PushAsync(customer, ct))
                {
                    case SyncOutcome.Written:
                        Interlocked.Increment(ref written);
                        break;
                    case SyncOutcome.Failed:
                        Interlocked.Increment(ref failed);
                        break;
                }
            });
        return new PageCounts(new SyncCounts(customers.Count, written, failed), changed.Count);
    }
}

/// <summary>What a page's push did, and how many of its customers it pushed (the rest were passed over as unchanged).</summary>
internal readonly record struct PageCounts(SyncCounts Counts, int Pushed);

/// <summary>
/// SFCC → Omneo delta: customers whose <c>last_modified</c> is at or after the stored watermark (less
/// <see cref="SyncOptions.DeltaOverlapSeconds"/>), ascending, a page at a time. The watermark moves only after a page
/// is applied, so a crash re-reads at most one page (unchanged customers cost no write). One run at a time across all
/// instances: a compare-and-swap lease in the bridge's database, on top of Hangfire's recurring-job scheduling.
/// </summary>
internal sealed partial class DeltaSyncJob
{
    public const string RecurringJobId = "sync-sfcc-to-omneo";
    internal const string WatermarkKey = "delta.watermark";
    private const string LeaseName = "delta";

    private readonly SfccClient _sfcc;
    private readonly PageApplier _pages;
    private readonly SyncStore _store;
    private readonly SyncLeases _leases;
    private readonly IBackgroundJobClient _jobs;
    private readonly SyncOptions _options;
    private readonly ILogger<DeltaSyncJob> _logger;

    public DeltaSyncJob(SfccClient sfcc, PageApplier pages, SyncStore store, SyncLeases leases, IBackgroundJobClient jobs, IOptions<SyncOptions> options, ILogger<DeltaSyncJob> logger)
    {
        _sfcc = sfcc;
        _pages = pages;
        _store = store;
        _leases = leases;
        _jobs = jobs;
        _options = options.Value;
        _logger = logger;
    }

    [AutomaticRetry(Attempts = 5)]
    [RetryAfterHonoured(Attempts = 5)]
    [JobDisplayName("SFCC → Omneo delta")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var lease = await _leases.TryTakeAsync(LeaseName, cancellationToken);
        if (lease is null)
        {
            var skipped = await _store.StartRunAsync("delta", cancellationToken);
            await _store.FinishRunAsync(skipped, "skipped", new SyncCounts(0, 0, 0), "another delta run holds the lease", cancellationToken);
            return;
        }

        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        cancellationToken = running.Token;
        var run = await _store.StartRunAsync("delta", cancellationToken);
        var counts = new SyncCounts(0, 0, 0);
        var outcome = "failed";
        string? detail = null;
        try
        {
            var watermark = ParseWatermark(await _store.GetStateAsync(WatermarkKey, cancellationToken));
            var cursor = new SearchCursor(watermark?.AddSeconds(-_options.DeltaOverlapSeconds), 0);
            var next = "completed";
            for (var page = 1; ; page++)
            {
                var result = await _sfcc.SearchCustomersAsync("last_modified", cursor.From, cursor.Skip, _options.PageSize, cancellationToken);
                var customers = result.Hits.Select(h => h.Data).OfType<SfccCustomer>().ToList();
                counts += (await _pages.ApplyAsync(customers, cancellationToken)).Counts;
                cursor = cursor.After(customers, c => c.LastModified);
                if (cursor.From is { } from && (watermark is null || from > watermark))
                {
                    watermark = from;
                    await _store.SetStateAsync(WatermarkKey, from.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
                }

                if (customers.Count < _options.PageSize)
                {
                    break;
                }

                if (page >= _options.DeltaPagesPerJob)
                {
                    next = "continued";
                    detail = "more pages follow in the next job";
                    break;
                }
            }

            outcome = next;
        }
        catch (Exception ex)
        {
            detail = ex.GetType().Name + ": " + ex.Message;
            throw;
        }
        finally
        {
            await _store.FinishRunAsync(run, outcome, counts, detail, CancellationToken.None);
            LogRun(_logger, outcome, counts.Customers, counts.Written, counts.Failed);
        }

        if (outcome == "continued")
        {
            _jobs.Enqueue<DeltaSyncJob>(job => job.RunAsync(CancellationToken.None));
        }
    }

    internal static DateTimeOffset? ParseWatermark(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "SFCC → Omneo delta {Outcome}: {Customers} customers read, {Written} written, {Failed} set aside")]
    private static partial void LogRun(ILogger logger, string outcome, int customers, int written, int failed);
}

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

    public double? EtaSeconds => Status == "running" && Total is { } total && RatePerSecond > 0 ? Math.Max(total - Done, 0) / RatePerSecond : null;

    internal string ToJson() => JsonSerializer.Serialize(this);

    internal static BackfillProgress? FromJson(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<BackfillProgress>(json);
}

/// <summary>
/// Day-zero import: every customer of the list, by keyset on (<c>creation_date</c>, customer_no), one page per job.
/// A page's job reads its SFCC page from the cursor stored in its row, stores the next page's cursor as that page's
/// row (insert-if-absent) and queues the next page's job before it pushes its own customers, so any instance's
/// Hangfire workers take the next page while this one is applied; then it marks its page applied. The page whose
/// read comes back short is the last; when it is stored and every page is applied, the run is completed.
/// A page is held by a per-page lease while it is applied, so a repeated job (Hangfire redelivery after a worker
/// died, the start-up resume) waits for it or finds it applied; a page re-run after a crash pushes only what changed
/// (customers already synced are passed over by their hash) and finds its successor stored already.
/// </summary>
internal sealed partial class BackfillJob
{
    internal const string PageLeasePrefix = "backfill.page.";

    private readonly SfccClient _sfcc;
    private readonly PageApplier _pages;
    private readonly SyncStore _store;
    private readonly SyncLeases _leases;
    private readonly IBackgroundJobClient _jobs;
    private readonly TimeProvider _time;
    private readonly SyncOptions _options;
    private readonly ILogger<BackfillJob> _logger;

    public BackfillJob(SfccClient sfcc, PageApplier pages, SyncStore store, SyncLeases leases, IBackgroundJobClient jobs, TimeProvider time, IOptions<SyncOptions> options, ILogger<BackfillJob> logger)
    {
        _sfcc = sfcc;
        _pages = pages;
        _store = store;
        _leases = leases;
        _jobs = jobs;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    [AutomaticRetry(Attempts = 10)]
    [RetryAfterHonoured]
    [JobDisplayName("Backfill SFCC → Omneo from page {0}")]
    public async Task RunPageAsync(long page, CancellationToken cancellationToken)
    {
        var run = BackfillProgress.FromJson(await _store.GetStateAsync(BackfillProgress.Key, cancellationToken));
        if (run is null || run.Status != RunStatus.Running || page < run.Page)
        {
            return;
        }

        await using var lease = await _leases.TryTakeAsync(PageLeasePrefix + page.ToString(CultureInfo.InvariantCulture), cancellationToken);
        if (lease is null)
        {
            // Another worker has this page, or a crashed one held it: look again once its lease has run out.
            _jobs.Schedule<BackfillJob>(job => job.RunPageAsync(page, CancellationToken.None), TimeSpan.FromSeconds(_options.LeaseSeconds));
            return;
        }

        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        await RunAsync(run, page, running.Token);
    }

    private async Task RunAsync(BackfillProgress run, long page, CancellationToken cancellationToken)
    {
        if (page == run.Page)
        {
            // A run from before pages were rows (or a start whose row was not stored) begins at its recorded cursor.
            await _store.AddBackfillPageAsync(page, run.Cursor, run.Skip, cancellationToken);
        }

        var row = await _store.BackfillPageAsync(page, cancellationToken);
        if (row is null)
        {
            return;
        }

        if (row.DoneAt is null)
        {
            await ApplyPageAsync(run, row, cancellationToken);
        }

        // Whichever page is applied last (not necessarily the last page) completes the run; a repeated job of an
        // applied page looks too, in case the job that applied the last one died before it could.
        var pages = await _store.BackfillPagesAsync(run.Page, cancellationToken);
        if (pages.Complete)
        {
            await CompleteAsync(run.Page, pages.Done, cancellationToken);
        }
    }

    private async Task ApplyPageAsync(BackfillProgress run, BackfillPage row, CancellationToken cancellationToken)
    {
        var page = row.Page;
        var cursor = new SearchCursor(row.Cursor, row.Skip);
        var result = await _sfcc.SearchCustomersAsync("creation_date", cursor.From, cursor.Skip, _options.PageSize, cancellationToken);
        var customers = result.Hits.Select(h => h.Data).OfType<SfccCustomer>().ToList();
        var last = customers.Count < _options.PageSize;
        if (page == run.Page && run.Cursor is null && run.Skip == 0 && run.Total is null)
        {
            await _store.SetStateAsync(BackfillProgress.Key, (run with { Total = result.Total }).ToJson(), cancellationToken);
        }

        if (!last)
        {
            // Stored and queued before this page is pushed, so another worker (on any instance) reads the next page
            // meanwhile. A re-run finds the row stored already, and queues its job again only while it is not applied
            // (the first run may have died between the two); a second job for a page waits on its lease or finds it applied.
            var after = cursor.After(customers, c => c.CreationDate);
            var next = page + 1;
            if (await _store.AddBackfillPageAsync(next, after.From, after.Skip, cancellationToken)
                || await _store.BackfillPageAsync(next, cancellationToken) is { DoneAt: null })
            {
                _jobs.Enqueue<BackfillJob>(job => job.RunPageAsync(next, CancellationToken.None));
            }
        }

        await _pages.ApplyAsync(customers, cancellationToken);
        await _store.FinishBackfillPageAsync(page, customers.Count, last, _leases.Instance, cancellationToken);
    }

    private async Task CompleteAsync(long firstPage, long done, CancellationToken cancellationToken)
    {
        // Read again: the first page may have stored the total since this job read the run.
        var run = BackfillProgress.FromJson(await _store.GetStateAsync(BackfillProgress.Key, cancellationToken));
        if (run is null || run.Status != RunStatus.Running || run.Page != firstPage)
        {
            return;
        }

        var now = _time.GetUtcNow();
        await _store.SetStateAsync(BackfillProgress.Key, (run with { Status = RunStatus.Completed, UpdatedAt = now, FinishedAt = now }).ToJson(), cancellationToken);
        await _store.PurgeFreeLeasesAsync(PageLeasePrefix, cancellationToken);
        LogFinished(_logger, run.Done + done);
    }

    [LoggerMessage(EventId = 1711, Level = LogLevel.Information, Message = "Backfill finished: {Done} customers read")]
    private static partial void LogFinished(ILogger logger, long done);
}

/// <summary>Retries one set-aside customer in the direction it failed.</summary>
internal sealed class CustomerSyncJob
{
    private readonly SfccClient _sfcc;
    private readonly CustomerSync _sync;
    private readonly Storage.CustomerLinkStore _links;
    private readonly SyncStore _store;
    private readonly string _listId;

    public CustomerSyncJob(SfccClient sfcc, CustomerSync sync, Storage.CustomerLinkStore links, SyncStore store, IOptions<SfccOptions> sfccOptions)
    {
        _sfcc = sfcc;
        _sync = sync;
        _links = links;
        _store = store;
        _listId = sfccOptions.Value.CustomerListId;
    }

    [AutomaticRetry(Attempts = 5)]
    [RetryAfterHonoured(Attempts = 5)]
    [JobDisplayName("Sync SFCC customer {0} ({1})")]
    public async Task RunAsync(string customerNo, string direction, CancellationToken cancellationToken)
    {
        var customer = await _sfcc.GetCustomerByNumberAsync(customerNo, cancellationToken);
        if (customer is null)
        {
            await _store.ResolveFailureAsync(_listId, customerNo, direction, cancellationToken);
            return;
        }

        if (direction == CustomerSync.OmneoToSfcc && await _links.FindAsync(_listId, customerNo, cancellationToken) is { } link)
        {
            await _sync.PullAsync(link, cancellationToken);
            return;
        }

        await _sync.PushAsync(customer, cancellationToken);
    }
}
