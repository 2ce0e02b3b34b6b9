namespace OmneoSfccBridge.Sync;

/// <summary>
/// Work of another feature that <c>POST /admin/sync/retry-failed</c> queues again beside the set-aside customers (the
/// Omneo webhook deliveries still pending). The feature registers it, so the sync needs to know nothing of its jobs.
/// </summary>
internal interface IRetryOnDemand
{
    /// <summary>What the count is of, as the answer names it (e.g. "webhook deliveries").</summary>
    string Noun { get; }

    /// <summary>Queues the pending work again; returns how many were queued.</summary>
    Task<int> RequeueAsync(CancellationToken cancellationToken);
}
