using System.Collections.Concurrent;

namespace OmneoSfccBridge.Storage;

/// <summary>
/// Links read recently, so a warm login does not read the database (<see cref="CustomerLinkStore.FindRecentAsync"/>).
/// Every write of this instance's <see cref="CustomerLinkStore"/> drops the customer's entry, so this instance never
/// serves a link it removed or moved; a change made by another instance is seen within <paramref name="lifetime"/>.
/// Only links that exist are kept: a customer with no link is always read afresh.
/// </summary>
/// <param name="lifetime">How long a link read from the database is served from memory; zero turns the cache off.</param>
/// <param name="time">The clock the lifetime is judged by.</param>
/// <param name="maxEntries">How many links are kept at most; past it, expired entries are swept (at most every quarter lifetime) and new ones wait for room.</param>
public sealed class CustomerLinkCache(TimeSpan lifetime, TimeProvider time, int maxEntries = 100_000)
{
    private readonly ConcurrentDictionary<(string ListId, string CustomerNo), Entry> _entries = new();

    /// <summary>Bumped by every invalidation: a read that overlapped a write does not put what it read in the cache.</summary>
    private long _writes;

    /// <summary>When a full cache may next be swept (UTC ticks): at most every quarter lifetime, not at every miss.</summary>
    private long _nextSweepTicks;

    /// <summary>Whether links are cached at all.</summary>
    public bool Enabled => lifetime > TimeSpan.Zero;

    /// <summary>How many links are held now (for tests and diagnostics).</summary>
    internal int Count => _entries.Count;

    /// <summary>The invalidation count to hand to <see cref="Store"/> once the database has answered.</summary>
    internal long WritesSoFar => Volatile.Read(ref _writes);

    internal bool TryGet(string customerListId, string customerNo, out CustomerLink? link)
    {
        if (_entries.TryGetValue((customerListId, customerNo), out var entry))
        {
            if (time.GetUtcNow() < entry.Until)
            {
                link = entry.Link;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<(string, string), Entry>((customerListId, customerNo), entry));
        }

        link = null;
        return false;
    }

    /// <summary>
    /// Keeps <paramref name="link"/>, read from the database after <see cref="WritesSoFar"/> returned
    /// <paramref name="writesBeforeRead"/>, unless a write of this instance happened since: that write may have changed
    /// the row after it was read.
    /// </summary>
    internal void Store(CustomerLink link, long writesBeforeRead)
    {
        if (!Enabled || WritesSoFar != writesBeforeRead || !HasRoom())
        {
            return;
        }

        var key = (link.CustomerListId, link.CustomerNo);
        var entry = new Entry(link, time.GetUtcNow() + lifetime);
        _entries[key] = entry;

        // A write between the check above and the store has already dropped the key: drop this entry too. Writers
        // count before they drop (Invalidate), so one of the two always sees the other.
        if (WritesSoFar != writesBeforeRead)
        {
            _entries.TryRemove(new KeyValuePair<(string, string), Entry>(key, entry));
        }
    }

    /// <summary>Forgets the customer's link; called after every write to it, whether or not the write changed a row.</summary>
    internal void Invalidate(string customerListId, string customerNo)
    {
        Interlocked.Increment(ref _writes);
        _entries.TryRemove((customerListId, customerNo), out _);
    }

    private bool HasRoom()
    {
        if (_entries.Count < maxEntries)
        {
            return true;
        }

        // Full: a sweep walks every entry, so it runs at most once a quarter lifetime; misses in between go uncached
        // rather than each paying for a walk on the login path.
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + lifetime / 4).UtcTicks, due) != due)
        {
            return false;
        }

        foreach (var expired in _entries.Where(e => now >= e.Value.Until))
        {
            _entries.TryRemove(expired);
        }

        return _entries.Count < maxEntries;
    }

    private sealed record Entry(CustomerLink Link, DateTimeOffset Until);
}
