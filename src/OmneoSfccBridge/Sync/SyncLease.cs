namespace OmneoSfccBridge.Sync;

/// <summary>
/// A lease in the bridge's database held for as long as a job runs: renewed in the background every third of its
/// time to live, so a short lease (a crashed holder frees it within <see cref="SyncOptions.LeaseSeconds"/>) never
/// runs out under a live holder, however long a page takes. If a renewal is refused (the lease ran out while the
/// database was unreachable and another instance took it), <see cref="Lost"/> is cancelled and the job stops.
/// </summary>
internal sealed partial class SyncLease : IAsyncDisposable
{
    private readonly SyncStore _store;
    private readonly string _name;
    private readonly string _holder;
    private readonly TimeSpan _ttl;
    private readonly ILogger _logger;
    private readonly PeriodicTimer _timer;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;

    private SyncLease(SyncStore store, string name, string holder, TimeSpan ttl, TimeProvider time, ILogger logger)
    {
        _store = store;
        _name = name;
        _holder = holder;
        _ttl = ttl;
        _logger = logger;
        _timer = new PeriodicTimer(ttl / 3, time);
        _renewal = RenewAsync();
    }

    /// <summary>Cancelled when the lease was lost to another holder.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>The lease, or null when another live holder has it.</summary>
    public static async Task<SyncLease?> TryTakeAsync(SyncStore store, string name, TimeSpan ttl, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var holder = Guid.NewGuid().ToString("N");
        return await store.TryLeaseAsync(name, holder, ttl, cancellationToken)
            ? new SyncLease(store, name, holder, ttl, time, logger)
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _timer.Dispose();
        await _store.ReleaseLeaseAsync(_name, _holder, CancellationToken.None);
        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync()
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    if (!await _store.TryLeaseAsync(_name, _holder, _ttl, _stop.Token))
                    {
                        LogLost(_logger, _name);
                        await _lost.CancelAsync();
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database hiccupped: the lease still has two thirds of its time; the next tick tries again.
                    LogRenewalFailed(_logger, _name, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 1721, Level = LogLevel.Warning, Message = "The {Lease} lease was taken over by another holder; this run stops")]
    private static partial void LogLost(ILogger logger, string lease);

    [LoggerMessage(EventId = 1722, Level = LogLevel.Warning, Message = "Renewing the {Lease} lease failed ({Error}); trying again")]
    private static partial void LogRenewalFailed(ILogger logger, string lease, string error);
}
