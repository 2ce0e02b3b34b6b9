using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

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

    /// <summary>The kind its runs are recorded under in <c>sync_runs</c>.</summary>
    internal const string RunKind = "delta";

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
            var skipped = await _store.StartRunAsync(RunKind, cancellationToken);
            await _store.FinishRunAsync(skipped, "skipped", new SyncCounts(0, 0, 0), "another delta run holds the lease", cancellationToken);
            return;
        }

        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        cancellationToken = running.Token;
        var run = await _store.StartRunAsync(RunKind, cancellationToken);
        var counts = new SyncCounts(0, 0, 0);
        var outcome = RunStatus.Failed;
        string? detail = null;
        try
        {
            var watermark = ParseWatermark(await _store.GetStateAsync(WatermarkKey, cancellationToken));
            var cursor = new SearchCursor(watermark?.AddSeconds(-_options.DeltaOverlapSeconds), 0);
            var next = RunStatus.Completed;
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
                    next = RunStatus.Continued;
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
