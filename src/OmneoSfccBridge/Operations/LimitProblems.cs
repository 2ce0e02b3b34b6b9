using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace OmneoSfccBridge.Operations;

/// <summary>What a client is told when a limit refuses it: ProblemDetails naming the limit, and Retry-After.</summary>
internal static class LimitProblems
{
    /// <summary>The ProblemDetails extension that names which limit refused the request.</summary>
    public const string LimitExtension = "limit";

    public static ValueTask RejectAsync(OnRejectedContext context, int status, string title, string detail, string limit, TimeSpan fallbackRetryAfter)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : fallbackRetryAfter;
        return WriteAsync(context.HttpContext, status, title, detail, limit, retryAfter);
    }

    public static async ValueTask WriteAsync(HttpContext context, int status, string title, string detail, string limit, TimeSpan retryAfter)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.RetryAfter = Math.Clamp((int)Math.Ceiling(retryAfter.TotalSeconds), 1, 3600).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = { [LimitExtension] = limit } },
        });
    }
}
