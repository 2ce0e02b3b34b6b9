using Hangfire;

namespace OmneoSfccBridge.Webhooks;

/// <summary>
/// At start-up (after the migrations): registers the daily purge of old deliveries (<see cref="WebhookPurgeJob"/>) and
/// queues again the deliveries a crash left pending, rather than waiting for Hangfire's invisibility timeout.
/// </summary>
internal sealed class WebhookScheduler(IRecurringJobManager recurring, PendingWebhooks pending) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<WebhookPurgeJob>(WebhookPurgeJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Daily());
        await pending.RequeueAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
