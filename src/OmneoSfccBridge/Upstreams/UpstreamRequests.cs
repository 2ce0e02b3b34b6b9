using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Refit;

namespace OmneoSfccBridge.Upstreams;

/// <summary>
/// Requests and answers of the typed <see cref="HttpClient"/> upstream clients (no Refit): JSON from build-time
/// generated serializers, and the request options Refit would set, so <see cref="UpstreamHandler"/>'s metric
/// (<c>upstream.operation</c>) and the span (<c>url.template</c>) read as they do for a Refit call.
/// </summary>
internal static class UpstreamRequests
{
    private static readonly HttpRequestOptionsKey<bool> RetrySafeKey = new(UpstreamHttpExtensions.RetrySafe);
    private static readonly HttpRequestOptionsKey<string> TemplateKey = new(HttpRequestMessageOptions.RelativePathTemplate);
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <summary>
    /// A request to <paramref name="path"/> (relative to the client's base address, whose path ends with <c>/</c>)
    /// recorded as <paramref name="operation"/> and <paramref name="template"/> (the path with its ids as placeholders).
    /// <paramref name="retrySafe"/> lets the resilience pipeline send a POST again.
    /// </summary>
    public static HttpRequestMessage Create(HttpMethod method, string path, string operation, string template, bool retrySafe = false)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Options.Set(UpstreamHandler.OperationKey, operation);
        request.Options.Set(TemplateKey, template);
        if (retrySafe)
        {
            request.Options.Set(RetrySafeKey, true);
        }

        return request;
    }

    /// <summary>Sets <paramref name="body"/> as the request's JSON content.</summary>
    public static HttpRequestMessage WithJson<T>(this HttpRequestMessage request, T body, JsonTypeInfo<T> type)
    {
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        request.Content.Headers.ContentType = Json;
        return request;
    }

    /// <summary>
    /// Sends <paramref name="request"/> (and disposes it). Transport failures, 429 and 5xx arrive as
    /// <see cref="UpstreamException"/> from the handlers; any other answer is returned for the caller to read.
    /// </summary>
    public static async Task<HttpResponseMessage> SendUpstreamAsync(this HttpClient http, HttpRequestMessage request, string upstream, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (Exception ex) when (ex is not UpstreamException and not OperationCanceledException)
            {
                throw UpstreamResponses.RequestFailed(upstream, ex);
            }
        }
    }

    /// <summary>The JSON body of an answer; a 502-class failure when it is not JSON of that shape or cannot be read.</summary>
    public static async Task<T> ReadJsonAsync<T>(this HttpResponseMessage response, JsonTypeInfo<T> type, string upstream, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken)
                ?? throw new UpstreamException(upstream, UpstreamFailure.BadResponse, "unreadable body");
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException or NotSupportedException)
        {
            throw new UpstreamException(upstream, UpstreamFailure.BadResponse, "unreadable body", inner: ex);
        }
    }

    /// <summary>The content of a successful answer (<see cref="UpstreamResponses.Require{T}"/> for a plain answer).</summary>
    public static async Task<T> RequireJsonAsync<T>(this HttpResponseMessage response, JsonTypeInfo<T> type, string upstream, CancellationToken cancellationToken) =>
        response.IsSuccessStatusCode
            ? await response.ReadJsonAsync(type, upstream, cancellationToken)
            : throw response.Unexpected(upstream);
}
