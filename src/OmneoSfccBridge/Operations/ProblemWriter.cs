using System.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Operations;

/// <summary>
/// Writes every problem body, whatever the request's Accept header: the framework's writer declines requests that do
/// not ask for JSON, and its fallback skips <c>CustomizeProblemDetails</c>, so <c>trace_id</c> would be the whole
/// traceparent (<c>Activity.Id</c>) there. Here it is always the trace's own id, the one an operator searches for in
/// the tracing backend (and the one a caller who sent a <c>traceparent</c> knows).
/// </summary>
internal sealed class ProblemWriter(IOptions<ProblemDetailsOptions> problems, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    /// <summary>The body's key of the trace id (extension keys are written as they are; the framework's is <c>traceId</c>).</summary>
    private const string TraceIdKey = "trace_id";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var response = context.HttpContext.Response;
        var problem = context.ProblemDetails;
        problem.Status ??= response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value) is { Length: > 0 } phrase ? phrase : "Error";
        problems.Value.CustomizeProblemDetails?.Invoke(context);
        problem.Extensions.Remove("traceId");
        problem.Extensions[TraceIdKey] = Activity.Current is { } activity ? activity.TraceId.ToHexString() : context.HttpContext.TraceIdentifier;
        return new ValueTask(response.WriteAsJsonAsync(problem, json.Value.SerializerOptions, "application/problem+json"));
    }
}
