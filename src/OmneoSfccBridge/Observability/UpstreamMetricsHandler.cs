using System.Diagnostics;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace OmneoSfccBridge.Observability;

/// <summary>
/// Times each upstream call as its caller sees it (retries included) and records it with the system, the Refit method
/// (a fixed name, never the filled URL) and the status or the kind of failure. Durations are the monotonic
/// clock's (<see cref="Stopwatch"/>), not the injected <see cref="TimeProvider"/>, which tests stop. It sits just outside the resilience
/// handler, so it sees the raw answer: a 503 is recorded as 503 before it becomes an <c>UpstreamException</c>.
/// </summary>
internal sealed class UpstreamMetricsHandler(string system, BridgeMetrics metrics) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<string> MethodNameKey = new(HttpRequestMessageOptions.MethodName);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.Options.TryGetValue(MethodNameKey, out var name) && !string.IsNullOrEmpty(name) ? name : request.Method.Method;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            metrics.UpstreamCall(system, operation, status, status >= 500 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (Exception ex)
        {
            metrics.UpstreamCall(system, operation, null, ErrorType(ex, cancellationToken), Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    private static string ErrorType(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => "canceled",
        TimeoutRejectedException or OperationCanceledException => "timeout",
        BrokenCircuitException => "circuit_open",
        RateLimiterRejectedException => "rate_limited",
        HttpRequestException => "transport",
        _ => exception.GetType().Name,
    };

    /// <summary>The tag value of an upstream's name: <c>SFCC</c> → <c>sfcc</c>.</summary>
    internal static string SystemTag(string upstream) => upstream.ToLowerInvariant();
}
