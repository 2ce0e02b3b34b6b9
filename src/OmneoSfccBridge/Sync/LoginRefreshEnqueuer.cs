using Hangfire;

namespace OmneoSfccBridge.Sync;

/// <summary>Moves queued login refreshes into Hangfire, off the request path.</summary>
internal sealed partial class LoginRefreshEnqueuer(LoginRefreshQueue queue, IBackgroundJobClient jobs, ILogger<LoginRefreshEnqueuer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (listId, customerNo) in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                jobs.Enqueue<ProfileRefreshJob>(job => job.RunAsync(listId, customerNo, CancellationToken.None));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever the storage throws (a cancelled or timed-out write included), the refresh is only skipped:
                // an exception escaping here would stop the whole host (BackgroundService's default).
                LogEnqueueFailed(logger, ex, customerNo);
            }
        }
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Could not queue the profile refresh of SFCC customer {CustomerNo}")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception, string customerNo);
}
