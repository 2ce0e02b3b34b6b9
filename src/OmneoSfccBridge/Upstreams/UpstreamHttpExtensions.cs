using Microsoft.Extensions.Http.Resilience;
using OmneoSfccBridge.Observability;
using Polly;

namespace OmneoSfccBridge.Upstreams;

internal static class UpstreamHttpExtensions
{
    /// <summary>Marks a request (a Refit method's property, or a request option) whose POST may be sent again safely (e.g. minting a token).</summary>
    public const string RetrySafe = "bridge.retry-safe";

    private static readonly HashSet<HttpMethod> SafeMethods = [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Put, HttpMethod.Delete];

    /// <summary>
    /// Error translation, the bearer token and call metrics (<see cref="UpstreamHandler"/>) and the standard resilience pipeline, tuned for a login path: a short total budget, quick
    /// retries, and never a second send of a non-idempotent request (an SFCC credentials login counts failures).
    /// <paramref name="concurrencyLimit"/> false leaves out the standard pipeline's first strategy, its local limit of
    /// 1,000 calls in flight (a 503 beyond): for a call made on every login, whose rate the per-address login limit
    /// already bounds; the timeouts, retries and circuit breaker are the same.
    /// </summary>
    public static IHttpClientBuilder AddUpstreamPipeline(
        this IHttpClientBuilder builder,
        string upstream,
        Func<IServiceProvider, int> timeoutSeconds,
        Func<IServiceProvider, IAccessTokenSource>? bearer = null,
        bool concurrencyLimit = true)
    {
        // HttpClientFactory's own logging handlers (System.Net.Http.HttpClient.*) write nothing at the Warning level the
        // bridge ships with, yet cost a log scope and two handler layers per call: UpstreamHandler's metric, and the
        // span, say what each call did.
        builder.RemoveAllLoggers();
        builder.AddHttpMessageHandler(services => new UpstreamHandler(
            upstream, services.GetRequiredService<BridgeMetrics>(), bearer?.Invoke(services)));

        if (concurrencyLimit)
        {
            builder.AddStandardResilienceHandler().Configure((options, services) => Tune(options, timeoutSeconds(services)));
            return builder;
        }

        builder.AddResilienceHandler("upstream", (pipeline, context) =>
        {
            var options = new HttpStandardResilienceOptions();
            Tune(options, timeoutSeconds(context.ServiceProvider));
            // The standard pipeline's order, without its rate limiter: total timeout, retry, circuit breaker, attempt timeout.
            pipeline.AddTimeout(options.TotalRequestTimeout)
                .AddRetry(options.Retry)
                .AddCircuitBreaker(options.CircuitBreaker)
                .AddTimeout(options.AttemptTimeout);
        });
        return builder;
    }

    private static void Tune(HttpStandardResilienceOptions options, int timeoutSeconds)
    {
        var total = TimeSpan.FromSeconds(timeoutSeconds);
        options.TotalRequestTimeout.Timeout = total;
        options.AttemptTimeout.Timeout = total;
        options.CircuitBreaker.SamplingDuration = total * 3;
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        // A throttling upstream is not asked again within the same request: its Retry-After goes to our client.
        options.Retry.ShouldRetryAfterHeader = false;
        options.Retry.ShouldHandle = args => new ValueTask<bool>(
            HttpClientResiliencePredicates.IsTransient(args.Outcome)
            && args.Outcome.Result?.StatusCode != System.Net.HttpStatusCode.TooManyRequests
            && IsRetrySafe(args.Context.GetRequestMessage()));
    }

    private static bool IsRetrySafe(HttpRequestMessage? request) =>
        request is not null
        && (SafeMethods.Contains(request.Method)
            || (request.Options.TryGetValue(new HttpRequestOptionsKey<object>(RetrySafe), out var flag) && flag is true));
}
