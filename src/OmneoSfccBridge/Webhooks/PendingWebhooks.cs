using Hangfire;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;

namespace OmneoSfccBridge.Webhooks;

/// <summary>The deliveries still pending (their job has not settled them), queued again; their job ignores repeats.</summary>
internal sealed class PendingWebhooks(WebhookEventStore store, IBackgroundJobClient jobs) : IRetryOnDemand
{
    public string Noun => "webhook deliveries";

    public async Task<int> RequeueAsync(CancellationToken cancellationToken)
    {
        var pending = await store.PendingWebhookIdsAsync(cancellationToken);
        foreach (var id in pending)
        {
            jobs.Enqueue<OmneoWebhookJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        return pending.Count;
    }
}
