using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// Hands "this customer just logged in" to Hangfire without the login waiting for Hangfire's storage. A customer is
/// queued at most once per <see cref="SyncOptions.LoginRefreshIntervalMinutes"/>. Should the process die before
/// the hand-over, the next login or the delta sync covers the customer: nothing here is the only copy of a change.
/// </summary>
internal sealed partial class LoginRefreshQueue(IOptions<SyncOptions> options, TimeProvider time, ILogger<LoginRefreshQueue> logger)
{
    private readonly Channel<(string ListId, string CustomerNo)> _channel =
        Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new(StringComparer.Ordinal);

    /// <summary>When <see cref="_recent"/> may next be swept (ticks): a sweep walks every entry, so not at every login.</summary>
    private long _nextSweepTicks;

    internal ChannelReader<(string ListId, string CustomerNo)> Reader => _channel.Reader;

    public void CustomerLoggedIn(CustomerLink link)
    {
        var interval = TimeSpan.FromMinutes(options.Value.LoginRefreshIntervalMinutes);
        var now = time.GetUtcNow();
        if (link.LastRefreshedAt is { } refreshed && now - refreshed < interval)
        {
            return;
        }

        var key = link.CustomerListId + "\n" + link.CustomerNo;
        if (_recent.TryGetValue(key, out var queued) && now - queued < interval)
        {
            return;
        }

        _recent[key] = now;
        if (!_channel.Writer.TryWrite((link.CustomerListId, link.CustomerNo)))
        {
            _recent.TryRemove(key, out _);
            LogDropped(logger, link.CustomerNo);
        }

        var due = Interlocked.Read(ref _nextSweepTicks);
        if (_recent.Count > 50_000 && now.UtcTicks >= due && Interlocked.CompareExchange(ref _nextSweepTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks, due) == due)
        {
            foreach (var stale in _recent.Where(e => now - e.Value >= interval))
            {
                _recent.TryRemove(stale.Key, out _);
            }
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Profile refresh for SFCC customer {CustomerNo} not queued: the queue is full")]
    private static partial void LogDropped(ILogger logger, string customerNo);
}
