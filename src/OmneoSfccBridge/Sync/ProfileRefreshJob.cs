using Hangfire;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// Brings one linked customer's Omneo profile up to date from their SFCC customer document (Data API). Takes ids
/// only, and is safe to run twice: an unchanged customer (same hash as last synced) costs no Omneo write. The write
/// itself is <see cref="CustomerSync.PushAsync"/>, shared with the delta and the backfill.
/// </summary>
internal sealed partial class ProfileRefreshJob
{
    private readonly SfccClient _sfcc;
    private readonly CustomerSync _sync;
    private readonly CustomerLinkStore _links;
    private readonly ILogger<ProfileRefreshJob> _logger;

    public ProfileRefreshJob(SfccClient sfcc, CustomerSync sync, CustomerLinkStore links, ILogger<ProfileRefreshJob> logger)
    {
        _sfcc = sfcc;
        _sync = sync;
        _links = links;
        _logger = logger;
    }

    [AutomaticRetry(Attempts = 8)]
    [RetryAfterHonoured(Attempts = 8)]
    [JobDisplayName("Refresh Omneo profile of SFCC customer {1}")]
    public async Task RunAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        var link = await _links.FindAsync(customerListId, customerNo, cancellationToken);
        if (link is null)
        {
            return;
        }

        var customer = await _sfcc.GetCustomerByNumberAsync(customerNo, cancellationToken);
        if (customer is null)
        {
            LogCustomerGone(_logger, customerNo);
            return;
        }

        await _sync.PushAsync(customer, cancellationToken);
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "SFCC customer {CustomerNo} no longer exists; nothing to refresh")]
    private static partial void LogCustomerGone(ILogger logger, string customerNo);
}
