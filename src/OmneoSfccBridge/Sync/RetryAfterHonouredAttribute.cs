using Hangfire.Common;
using Hangfire.States;
using OmneoSfccBridge.Upstreams;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// When a job fails because an upstream asked to be left alone for a while (429/503 with <c>Retry-After</c>), the job
/// is scheduled again after exactly that wait instead of Hangfire's own back-off. It runs before
/// <see cref="Hangfire.AutomaticRetryAttribute"/> (order 20) and counts attempts in the same <c>RetryCount</c>
/// parameter, so the two together never exceed <see cref="Attempts"/>; other failures keep Hangfire's back-off.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class RetryAfterHonouredAttribute : JobFilterAttribute, IElectStateFilter
{
    public RetryAfterHonouredAttribute() => Order = 10;

    public int Attempts { get; set; } = 10;

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not FailedState { Exception: UpstreamException { RetryAfter: { } wait } })
        {
            return;
        }

        var retries = context.GetJobParameter<int>("RetryCount", allowStale: true) + 1;
        if (retries > Attempts)
        {
            return;
        }

        context.SetJobParameter("RetryCount", retries);
        context.CandidateState = new ScheduledState(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait)
        {
            Reason = $"Retry attempt {retries} of {Attempts}: the upstream asked to wait {wait.TotalSeconds:0} s",
        };
    }
}
