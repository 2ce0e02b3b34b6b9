using Microsoft.AspNetCore.Diagnostics;

namespace OmneoSfccBridge.Upstreams;

/// <summary>
/// Answers an <see cref="UpstreamException"/> with the bridge's own ProblemDetails: 503 with Retry-After when an
/// upstream is down or throttling, 504 on a timeout, 502 for an unusable answer. Never the upstream's body.
/// </summary>
internal sealed partial class UpstreamProblemHandler(IProblemDetailsService problems, ILogger<UpstreamProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not UpstreamException upstream)
        {
            return false;
        }

        LogUpstreamFailure(logger, upstream.Upstream, upstream.Failure, upstream.Reason);
        var (status, title, detail) = upstream.Failure switch
        {
            UpstreamFailure.Timeout => (StatusCodes.Status504GatewayTimeout, "Upstream timeout", $"{upstream.Upstream} did not answer in time. Try again."),
            UpstreamFailure.BadResponse => (StatusCodes.Status502BadGateway, "Upstream error", $"{upstream.Upstream} answered with something the bridge cannot use."),
            UpstreamFailure.Throttled => (StatusCodes.Status503ServiceUnavailable, "Upstream busy", $"{upstream.Upstream} is throttling requests. Try again after the Retry-After delay."),
            _ => (StatusCodes.Status503ServiceUnavailable, "Upstream unavailable", $"{upstream.Upstream} is unavailable. Try again after the Retry-After delay."),
        };

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            var seconds = Math.Clamp((int)Math.Ceiling((upstream.RetryAfter ?? TimeSpan.FromSeconds(5)).TotalSeconds), 1, 3600);
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
                Extensions = { ["upstream"] = upstream.Upstream },
            },
        });
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Upstream {Upstream} failed ({Failure}): {Reason}")]
    private static partial void LogUpstreamFailure(ILogger logger, string upstream, UpstreamFailure failure, string reason);
}
