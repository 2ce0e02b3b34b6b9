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
        problem.Type ??= TypeOf(problem.Status.Value);
        problems.Value.CustomizeProblemDetails?.Invoke(context);
        problem.Extensions.Remove("traceId");
        problem.Extensions[TraceIdKey] = Activity.Current is { } activity ? activity.TraceId.ToHexString() : context.HttpContext.TraceIdentifier;
        // The runtime type: a validation problem keeps its errors.
        return new ValueTask(response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json"));
    }

    /// <summary>The RFC 9110 section of a status, as the framework's own writer names it.</summary>
    private static string? TypeOf(int status) => status switch
    {
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        >= 400 and < 500 when ClientErrorSections.TryGetValue(status, out var section) => "https://tools.ietf.org/html/rfc9110#section-15.5." + section,
        >= 500 and <= 505 => "https://tools.ietf.org/html/rfc9110#section-15.6." + (status - 499),
        _ => null,
    };

    private static readonly Dictionary<int, int> ClientErrorSections = new()
    {
        [400] = 1,
        [401] = 2,
        [402] = 3,
        [403] = 4,
        [404] = 5,
        [405] = 6,
        [406] = 7,
        [407] = 8,
        [408] = 9,
        [409] = 10,
        [410] = 11,
        [411] = 12,
        [412] = 13,
        [413] = 14,
        [414] = 15,
        [415] = 16,
        [416] = 17,
        [417] = 18,
        [421] = 20,
        [422] = 21,
        [426] = 22,
    };
}
