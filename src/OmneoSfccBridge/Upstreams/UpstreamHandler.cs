using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using OmneoSfccBridge.Observability;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace OmneoSfccBridge.Upstreams;

/// <summary>
/// Everything the bridge adds to an upstream call, in one async layer outside the resilience pipeline (one handler,
/// not three: each layer costs a state machine and a task per call, on every login and four times per new customer):
/// <list type="bullet">
/// <item>Error translation, the one place where transport failures and failing statuses become
/// <see cref="UpstreamException"/>. It sees what is left after retries. 4xx answers pass through: what they mean (bad
/// credentials, login taken) is for the caller to say.</item>
/// <item>The bearer token, when the client has a <see cref="IAccessTokenSource"/>; on a 401 with a refreshable source it
/// fetches a new token and sends once more.</item>
/// <item>Call metrics: each send (the bearer's second one too) is timed as its caller sees it, retries included, and
/// recorded with the system, the operation (a fixed name, never the filled URL) and the status or the kind of failure.
/// It sees the raw answer: a 503 is recorded as 503 before it becomes an <see cref="UpstreamException"/>. Durations
/// are the monotonic clock's (<see cref="Stopwatch"/>), not the injected <see cref="TimeProvider"/>, which tests stop.</item>
/// </list>
/// </summary>
internal sealed class UpstreamHandler(string upstream, BridgeMetrics metrics, IAccessTokenSource? bearer) : DelegatingHandler
{
    /// <summary>The request option naming the operation in metrics (Refit sets it to the interface method's name).</summary>
    public static readonly HttpRequestOptionsKey<string> OperationKey = new(HttpRequestMessageOptions.MethodName);

    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    private readonly string _system = upstream.ToLowerInvariant();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = bearer is null
                ? await MeasuredSendAsync(request, cancellationToken)
                : await SendWithBearerAsync(bearer, request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Timeout, "timed out", inner: ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Timeout, "timed out", inner: ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Unavailable, "circuit open", DefaultRetryAfter, ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Throttled, "local rate limit", ex.RetryAfter ?? DefaultRetryAfter, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Unavailable, $"transport: {ex.HttpRequestError}", DefaultRetryAfter, ex);
        }

        var status = (int)response.StatusCode;
        if (status < 429 || (status > 429 && status < 500))
        {
            return response;
        }

        var retryAfter = RetryAfterOf(response) ?? DefaultRetryAfter;
        response.Dispose();
        throw response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new UpstreamException(upstream, UpstreamFailure.Throttled, "429", retryAfter),
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway => new UpstreamException(upstream, UpstreamFailure.Unavailable, status.ToString(CultureInfo.InvariantCulture), retryAfter),
            HttpStatusCode.GatewayTimeout => new UpstreamException(upstream, UpstreamFailure.Timeout, "504"),
            _ => new UpstreamException(upstream, UpstreamFailure.BadResponse, status.ToString(CultureInfo.InvariantCulture)),
        };
    }

    private async Task<HttpResponseMessage> SendWithBearerAsync(IAccessTokenSource source, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null && source.CanRefresh)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var token = await source.GetAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await MeasuredSendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !source.CanRefresh)
        {
            return response;
        }

        response.Dispose();
        source.Invalidate(token);
        using var again = await CloneAsync(request, cancellationToken);
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await source.GetAsync(cancellationToken));
        return await MeasuredSendAsync(again, cancellationToken);
    }

    private async Task<HttpResponseMessage> MeasuredSendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.Options.TryGetValue(OperationKey, out var name) && !string.IsNullOrEmpty(name) ? name : request.Method.Method;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            metrics.UpstreamCall(_system, operation, status, status >= 500 ? status.ToString(CultureInfo.InvariantCulture) : null, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (Exception ex)
        {
            metrics.UpstreamCall(_system, operation, null, ErrorType(ex, cancellationToken), Stopwatch.GetElapsedTime(started));
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

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var option in request.Options)
        {
            clone.Options.Set(new HttpRequestOptionsKey<object?>(option.Key), option.Value);
        }

        if (request.Content is not null)
        {
            clone.Content = new ByteArrayContent(await request.Content.ReadAsByteArrayAsync(cancellationToken));
            foreach (var header in request.Content.Headers)
            {
                clone.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return clone;
    }
}
