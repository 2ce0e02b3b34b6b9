using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>The per-key limit on accepted storefront logins (a sliding minute in six segments), per instance.</summary>
internal sealed class StorefrontKeyRateLimiter(IOptions<StorefrontOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(keyId =>
        options.Value.PermitsPerKeyPerMinute == 0
            ? RateLimitPartition.GetNoLimiter(keyId)
            : RateLimitPartition.GetSlidingWindowLimiter(keyId, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.Value.PermitsPerKeyPerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
            }));

    public RateLimitLease Acquire(string keyId) => _limiter.AttemptAcquire(keyId);

    public void Dispose() => _limiter.Dispose();
}
