using System.Diagnostics;
using Hangfire.Server;

namespace OmneoSfccBridge.Observability;

/// <summary>
/// Makes every Hangfire job run a span (<c>job {class}</c>) and counts it by outcome. Registered on this process's
/// server only (not in Hangfire's global filters), so several bridges in one process count their own runs. The
/// job's arguments (customer numbers, delivery ids) are never recorded.
/// </summary>
internal sealed class JobTelemetryFilter(BridgeMetrics metrics) : IServerFilter
{
    private const string ActivityItem = "bridge.activity";
    private const string StartItem = "bridge.started";

    public void OnPerforming(PerformingContext context)
    {
        var name = JobName(context);
        var activity = BridgeMetrics.ActivitySource.StartActivity("job " + name, ActivityKind.Internal);
        activity?.SetTag("job.name", name);
        activity?.SetTag("hangfire.job.id", context.BackgroundJob.Id);
        context.Items[ActivityItem] = activity;
        context.Items[StartItem] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        var outcome = context.Canceled ? "canceled" : context.Exception is null || context.ExceptionHandled ? "succeeded" : "failed";
        var started = context.Items.TryGetValue(StartItem, out var value) && value is long timestamp ? timestamp : Stopwatch.GetTimestamp();
        metrics.JobRun(JobName(context), outcome, Stopwatch.GetElapsedTime(started));
        if (context.Items.TryGetValue(ActivityItem, out var item) && item is Activity activity)
        {
            activity.SetTag("job.outcome", outcome);
            if (outcome == "failed")
            {
                // The type only: an exception's message may quote what an upstream answered.
                activity.SetStatus(ActivityStatusCode.Error);
                activity.SetTag("error.type", (context.Exception?.InnerException ?? context.Exception)?.GetType().FullName);
            }

            activity.Dispose();
        }
    }

    private static string JobName(PerformContext context) => context.BackgroundJob.Job?.Type.Name ?? "unknown";
}
