using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

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
