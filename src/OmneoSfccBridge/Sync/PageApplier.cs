using Microsoft.Extensions.Options;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// Pushes one page of SFCC customers to Omneo, a few at a time; a refused record is set aside, an outage fails the page.
/// The page's links are read in one query first: a customer whose document hashes the same as the one last synced
/// (and who has nothing set aside or withheld) is passed over in memory, with no lock, no upstream call and no write.
/// </summary>
internal sealed class PageApplier(CustomerSync sync, SyncStore store, IOptions<SyncOptions> options, IOptions<SfccOptions> sfccOptions)
{
    public async Task<PageCounts> ApplyAsync(IReadOnlyList<SfccCustomer> customers, CancellationToken cancellationToken) =>
        await PushAsync(customers, await ChangedAsync(customers, cancellationToken), cancellationToken);

    /// <summary>The customers of <paramref name="customers"/> whose document changed since their last sync (or never synced).</summary>
    public async Task<IReadOnlyList<SfccCustomer>> ChangedAsync(IReadOnlyList<SfccCustomer> customers, CancellationToken cancellationToken)
    {
        var numbered = customers.Where(c => !string.IsNullOrEmpty(c.CustomerNo)).ToList();
        var synced = await store.SyncedSfccHashesAsync(sfccOptions.Value.CustomerListId, [.. numbered.Select(c => c.CustomerNo!).Distinct(StringComparer.Ordinal)], cancellationToken);
        var attributes = options.Value.CustomAttributes;
        return numbered
            .Where(c => !synced.TryGetValue(c.CustomerNo!, out var hash) || hash != ProfileMapping.StateOf(c, attributes).Hash())
            .ToList();
    }

    /// <summary>Pushes <paramref name="changed"/> (from <see cref="ChangedAsync"/> of <paramref name="customers"/>).</summary>
    public async Task<PageCounts> PushAsync(IReadOnlyList<SfccCustomer> customers, IReadOnlyList<SfccCustomer> changed, CancellationToken cancellationToken)
    {
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
