using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

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
    [Queue(BackgroundJobsExtensions.BackfillQueue)]
    [JobDisplayName("Backfill SFCC → Omneo from page {0}")]
    public async Task RunPageAsync(long page, CancellationToken cancellationToken)
    {
        var run = BackfillProgress.FromJson(await _store.GetStateAsync(BackfillProgress.Key, cancellationToken));
        if (run is null || run.Status != RunStatus.Running || page < run.Page)
        {
            return;
        }

        var lease = await _leases.TryTakeAsync(PageLeasePrefix + page.ToString(CultureInfo.InvariantCulture), cancellationToken);
        if (lease is null)
        {
            // Another worker has this page, or a crashed one held it: look again once its lease has run out.
            _jobs.Schedule<BackfillJob>(job => job.RunPageAsync(page, CancellationToken.None), TimeSpan.FromSeconds(_options.LeaseSeconds));
            return;
        }

        // A page with nothing to push hands its successor on to this same job (see ApplyPageAsync) rather than through
        // the queue, so a re-run over unchanged customers is not paced by Hangfire's pick-up of one job per page.
        var deadline = _time.GetUtcNow().AddSeconds(_options.LeaseSeconds / 2.0);
        PageRead? ahead = null;
        while (lease is not null)
        {
            Carried carried;
            await using (lease)
            await using (ahead)
            {
                using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
                carried = await RunAsync(run, page, _time.GetUtcNow() < deadline, ahead, ReadAhead, running.Token);
            }

            ahead = carried.Read;
            lease = carried.Lease;
            page++;
        }

        // Bound to the job, not to the page that starts it: the read outlives that page when its successor is carried on to.
        PageRead ReadAhead(SearchCursor cursor)
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            return new PageRead(cursor, _sfcc.SearchCustomersAsync("creation_date", cursor.From, cursor.Skip, _options.PageSize, cancel.Token), cancel);
        }
    }

    /// <summary>Applies the page; returns the successor's lease (and its read, under way) when this job carries on with it.</summary>
    private async Task<Carried> RunAsync(BackfillProgress run, long page, bool mayCarryOn, PageRead? ahead, Func<SearchCursor, PageRead> readAhead, CancellationToken cancellationToken)
    {
        if (page == run.Page)
        {
            // A run from before pages were rows (or a start whose row was not stored) begins at its recorded cursor.
            await _store.AddBackfillPageAsync(page, run.Cursor, run.Skip, cancellationToken);
        }

        var row = await _store.BackfillPageAsync(page, cancellationToken);
        if (row is null)
        {
            return default;
        }

        var next = default(Carried);
        if (row.DoneAt is null)
        {
            next = await ApplyPageAsync(run, row, mayCarryOn, ahead, readAhead, cancellationToken);
        }

        if (next.Lease is not null)
        {
            // The successor is stored and not applied: the run cannot be complete yet.
            return next;
        }

        // Whichever page is applied last (not necessarily the last page) completes the run; a repeated job of an
        // applied page looks too, in case the job that applied the last one died before it could.
        var pages = await _store.BackfillPagesAsync(run.Page, cancellationToken);
        if (pages.Complete)
        {
            await CompleteAsync(run.Page, pages.Done, cancellationToken);
        }

        return default;
    }

    private async Task<Carried> ApplyPageAsync(BackfillProgress run, BackfillPage row, bool mayCarryOn, PageRead? ahead, Func<SearchCursor, PageRead> readAhead, CancellationToken cancellationToken)
    {
        var page = row.Page;
        var cursor = new SearchCursor(row.Cursor, row.Skip);
        SfccCustomerSearchResult result;
        if (ahead is not null && ahead.Cursor == cursor)
        {
            result = await ahead.Read;
        }
        else
        {
            result = await _sfcc.SearchCustomersAsync("creation_date", cursor.From, cursor.Skip, _options.PageSize, cancellationToken);
        }

        var customers = result.Hits.Select(h => h.Data).OfType<SfccCustomer>().ToList();
        var last = customers.Count < _options.PageSize;
        var after = cursor.After(customers, c => c.CreationDate);
        // A page carried on to from an unchanged one starts reading its successor at once, so the SFCC read overlaps this
        // page's hashing and writes: the successor of an unchanged page is most likely unchanged too, and carried on to.
        // Any other page reads ahead only once it knows it has nothing to push. A read ahead that goes unused is dropped.
        var read = ahead is not null && !last && mayCarryOn ? readAhead(after) : null;
        try
        {
            if (page == run.Page && run.Cursor is null && run.Skip == 0 && run.Total is null)
            {
                await _store.SetStateAsync(BackfillProgress.Key, (run with { Total = result.Total }).ToJson(), cancellationToken);
            }

            var carried = await ApplyReadPageAsync(page, customers, last, after, mayCarryOn, () => read ??= readAhead(after), cancellationToken);
            if (carried is not null)
            {
                var carriedRead = read;
                read = null;
                return new Carried(carried, carriedRead);
            }

            return default;
        }
        finally
        {
            if (read is not null)
            {
                await read.DisposeAsync();
            }
        }
    }

    private async Task<SyncLease?> ApplyReadPageAsync(long page, List<SfccCustomer> customers, bool last, SearchCursor after, bool mayCarryOn, Func<PageRead> readAhead, CancellationToken cancellationToken)
    {
        var changed = await _pages.ChangedAsync(customers, cancellationToken);
        SyncLease? carried = null;
        if (!last)
        {
            // Stored and queued before this page is pushed, so another worker (on any instance) reads the next page
            // meanwhile. A re-run finds the row stored already, and queues its job again only while it is not applied
            // (the first run may have died between the two); a second job for a page waits on its lease or finds it applied.
            // A page with nothing to push keeps the successor it stored for itself (under the successor's lease): there
            // is nothing here to overlap with, and a job per page would cost more than the page.
            var next = page + 1;
            if (changed.Count == 0 && mayCarryOn)
            {
                readAhead();
            }

            var stored = await _store.AddBackfillPageAsync(next, after.From, after.Skip, cancellationToken);
            if (stored && changed.Count == 0 && mayCarryOn)
            {
                carried = await _leases.TryTakeAsync(PageLeasePrefix + next.ToString(CultureInfo.InvariantCulture), cancellationToken);
            }

            if (carried is null && (stored || await _store.BackfillPageAsync(next, cancellationToken) is { DoneAt: null }))
            {
                _jobs.Enqueue<BackfillJob>(job => job.RunPageAsync(next, CancellationToken.None));
            }
        }

        try
        {
            await _pages.PushAsync(customers, changed, cancellationToken);
            await _store.FinishBackfillPageAsync(page, customers.Count, last, _leases.Instance, cancellationToken);
        }
        catch
        {
            if (carried is not null)
            {
                // The successor was not queued: queue it now, so the chain survives this page's failure.
                await carried.DisposeAsync();
                _jobs.Enqueue<BackfillJob>(job => job.RunPageAsync(page + 1, CancellationToken.None));
            }

            throw;
        }

        return carried;
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

    /// <summary>The successor this job carries on with: its lease, and its SFCC read when one was started ahead.</summary>
    private readonly record struct Carried(SyncLease? Lease, PageRead? Read);

    /// <summary>An SFCC page read started ahead of its page; dropping it cancels it and observes its outcome.</summary>
    private sealed class PageRead(SearchCursor cursor, Task<SfccCustomerSearchResult> read, CancellationTokenSource cancel) : IAsyncDisposable
    {
        public SearchCursor Cursor => cursor;

        public Task<SfccCustomerSearchResult> Read => read;

        public async ValueTask DisposeAsync()
        {
            await cancel.CancelAsync();
            try
            {
                await read;
            }
            catch (Exception)
            {
                // Its page either used this read (and saw its outcome) or will read again; nothing here to report.
            }

            cancel.Dispose();
        }
    }

    [LoggerMessage(EventId = 1711, Level = LogLevel.Information, Message = "Backfill finished: {Done} customers read")]
    private static partial void LogFinished(ILogger logger, long done);
}
