using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>
/// At most <see cref="RegistrationOptions.MaxConcurrent"/> registrations at once, as many queued. A refusal is 503,
/// not 429: the limit is this instance's capacity, shared by every client, not something the caller did too often.
/// </summary>
internal sealed class RegistrationConcurrencyPolicy(IOptions<RegistrationOptions> options) : IRateLimiterPolicy<string>
{
    /// <summary>A registration takes a few seconds at most when the upstreams are healthy.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) => LimitProblems.RejectAsync(
        context,
        StatusCodes.Status503ServiceUnavailable,
        "Too many registrations in progress",
        "The bridge is handling as many registrations as it takes at once. Try again after the Retry-After delay with the same Idempotency-Key.",
        "concurrent_registrations",
        RetryAfter);

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var permits = options.Value.MaxConcurrent;
        return RateLimitPartition.GetConcurrencyLimiter("registrations", _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = permits,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }
}
