using System.Net;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace OmneoSfccBridge.Upstreams;

/// <summary>
/// The one place where transport failures and failing statuses of an upstream become <see cref="UpstreamException"/>.
/// It sits outside the resilience pipeline, so it sees what is left after retries. 4xx answers pass through: what
/// they mean (bad credentials, login taken) is for the caller to say.
/// </summary>
internal sealed class UpstreamErrorHandler(string upstream) : DelegatingHandler
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
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
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway => new UpstreamException(upstream, UpstreamFailure.Unavailable, status.ToString(System.Globalization.CultureInfo.InvariantCulture), retryAfter),
            HttpStatusCode.GatewayTimeout => new UpstreamException(upstream, UpstreamFailure.Timeout, "504"),
            _ => new UpstreamException(upstream, UpstreamFailure.BadResponse, status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

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
}
