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

/// <summary>Where the day-zero backfill stands; stored as one JSON value, so it moves atomically.</summary>
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
/// Day-zero import: every customer of the list, by keyset on (<c>creation_date</c>, customer_no), a few pages per job
/// (<see cref="SyncOptions.BackfillPagesPerJob"/>, the next page fetched while the current one is pushed), each job
/// chaining the next. The cursor is stored after a page is applied, so a crash repeats at most one page
/// (already linked customers are found by link or identity, never created twice). Page numbers make stale or
/// duplicate jobs (Hangfire redelivery, start-up resume) no-ops.
/// </summary>
internal sealed partial class BackfillJob
{
    private const string LeaseName = "backfill";

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
        var progress = BackfillProgress.FromJson(await _store.GetStateAsync(BackfillProgress.Key, cancellationToken));
        if (progress is null || progress.Status != "running" || progress.Page < page)
        {
            return;
        }

        long? next;
        await using (var lease = await _leases.TryTakeAsync(LeaseName, cancellationToken))
        {
            if (lease is null)
            {
                // Another worker has this page, or a crashed one held it: look again once its lease has run out.
                _jobs.Schedule<BackfillJob>(job => job.RunPageAsync(page, CancellationToken.None), TimeSpan.FromSeconds(_options.LeaseSeconds));
                return;
            }

            // Hangfire runs a job again after its worker died, and this job may have stored pages past its own before
            // the crash, so no successor was ever queued. Holding the lease, nobody is mid-page: if the progress has
            // not moved for a lease's time the chain is broken, and this job carries on from where it stands.
            progress = BackfillProgress.FromJson(await _store.GetStateAsync(BackfillProgress.Key, cancellationToken));
            if (progress is null || progress.Status != "running")
            {
                return;
            }

            if (progress.Page != page)
            {
                if (_time.GetUtcNow() - progress.UpdatedAt < TimeSpan.FromSeconds(_options.LeaseSeconds))
                {
                    return;
                }

                page = progress.Page;
            }

            using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            next = await RunPagesAsync(page, running.Token);
        }

        // The job's argument is the page it starts from; the progress lives in the store (GET /admin/sync/backfill).
        if (next is { } nextPage)
        {
            _jobs.Enqueue<BackfillJob>(job => job.RunPageAsync(nextPage, CancellationToken.None));
        }
    }

    /// <summary>
    /// Up to <see cref="SyncOptions.BackfillPagesPerJob"/> pages that pushed customers, from <paramref name="page"/>,
    /// within <see cref="SyncOptions.LeaseSeconds"/>; where the next job starts, or null when the backfill is done.
    /// </summary>
    private async Task<long?> RunPagesAsync(long page, CancellationToken cancellationToken)
    {
        var progress = BackfillProgress.FromJson(await _store.GetStateAsync(BackfillProgress.Key, cancellationToken));
        if (progress is null || progress.Status != "running" || progress.Page != page)
        {
            return null;
        }

        var cursor = new SearchCursor(progress.Cursor, progress.Skip);
        var search = _sfcc.SearchCustomersAsync("creation_date", cursor.From, cursor.Skip, _options.PageSize, cancellationToken);
        var started = _time.GetTimestamp();
        var worked = 0;
        while (true)
        {
            var result = await search;
            var customers = result.Hits.Select(h => h.Data).OfType<SfccCustomer>().ToList();
            var after = cursor.After(customers, c => c.CreationDate);
            var finished = customers.Count < _options.PageSize;

            // The next page is fetched while this one is pushed, so both upstreams stay busy; it is used only once this page is stored.
            var prefetched = !finished && worked + 1 < _options.BackfillPagesPerJob && WithinJobTime(started);
            search = prefetched ? _sfcc.SearchCustomersAsync("creation_date", after.From, after.Skip, _options.PageSize, cancellationToken) : Task.FromResult(new SfccCustomerSearchResult());
            PageCounts applied;
            try
            {
                applied = await _pages.ApplyAsync(customers, cancellationToken);
            }
            catch
            {
                await Task.WhenAny(search);
                throw;
            }

            var now = _time.GetUtcNow();
            progress = progress with
            {
                Status = finished ? "completed" : "running",
                Cursor = after.From,
                Skip = after.Skip,
                Page = page + 1,
                Done = progress.Done + customers.Count,
                Total = progress.Total ?? (progress.Cursor is null && progress.Skip == 0 ? result.Total : null),
                UpdatedAt = now,
                FinishedAt = finished ? now : null,
            };
            await _store.SetStateAsync(BackfillProgress.Key, progress.ToJson(), cancellationToken);
            cursor = after;
            page++;
            if (finished)
            {
                LogFinished(_logger, progress.Done);
                return null;
            }

            // A page whose customers were all passed over (unchanged since their last sync) costs a search and a read:
            // it does not count towards the job's pages, so a re-run goes through unchanged pages without waiting for
            // Hangfire to pick up a chained job every few pages; a lease's time bounds the job all the same.
            if (applied.Pushed > 0)
            {
                worked++;
            }

            if (worked >= _options.BackfillPagesPerJob || !WithinJobTime(started))
            {
                await Task.WhenAny(search);
                return page;
            }

            if (!prefetched)
            {
                search = _sfcc.SearchCustomersAsync("creation_date", after.From, after.Skip, _options.PageSize, cancellationToken);
            }
        }
    }

    private bool WithinJobTime(long started) => _time.GetElapsedTime(started) < TimeSpan.FromSeconds(_options.LeaseSeconds);

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
