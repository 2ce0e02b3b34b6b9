using Microsoft.AspNetCore.Diagnostics;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Storage;

/// <summary>
/// Answers a <see cref="CustomerLockTimeoutException"/> with 503 and Retry-After: the customer is busy with another
/// request, which is the server's state, not the client's mistake, and a retry soon will normally succeed.
/// </summary>
internal sealed partial class CustomerLockProblemHandler(ILogger<CustomerLockProblemHandler> logger) : IExceptionHandler
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not CustomerLockTimeoutException timeout)
        {
            return false;
        }

        LogLockTimeout(logger, httpContext.Request.Path, (int)timeout.Waited.TotalSeconds);
        await LimitProblems.WriteAsync(
            httpContext,
            StatusCodes.Status503ServiceUnavailable,
            "Customer busy",
            "Another request for the same customer is still in progress. Try again after the Retry-After delay.",
            "customer_lock",
            RetryAfter);
        return true;
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "{Path} gave up after waiting {Seconds} s for a customer lock held by another request")]
    private static partial void LogLockTimeout(ILogger logger, string path, int seconds);
}
