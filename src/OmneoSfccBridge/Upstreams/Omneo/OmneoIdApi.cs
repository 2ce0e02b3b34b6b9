using System.Net.Http.Headers;
using System.Text.Json;
using Refit;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>
/// Omneo ID API's token endpoint, at <c>{BaseUrl}/id/api/v1/auth/token</c>, with the bridge's admin token. It is the one
/// upstream call of every warm login, so it is a plain typed <see cref="HttpClient"/> with source-generated JSON rather
/// than a Refit client: the same handlers (error translation, bearer token, metrics, resilience) around it, none of
/// Refit's request building and reflection-based serialization. The request carries the options Refit would set, so
/// the call's metric (<c>upstream.operation</c>) and span (<c>url.template</c>) read as before.
/// </summary>
internal sealed class OmneoIdApi(HttpClient http)
{
    /// <summary>The operation name the metrics record for this call (the Refit method's name it had).</summary>
    public const string Operation = "IssueTokenAsync";

    private const string Template = "/auth/token";

    private static readonly HttpRequestOptionsKey<bool> RetrySafeKey = new(UpstreamHttpExtensions.RetrySafe);
    private static readonly HttpRequestOptionsKey<string> MethodNameKey = new(HttpRequestMessageOptions.MethodName);
    private static readonly HttpRequestOptionsKey<string> TemplateKey = new(HttpRequestMessageOptions.RelativePathTemplate);
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <summary>
    /// Mints a customer token (minting twice has no side effect, so it may be retried). Transport failures, 429 and 5xx
    /// arrive as <see cref="UpstreamException"/> from the handlers; any other answer is returned for the caller to read.
    /// </summary>
    public async Task<HttpResponseMessage> IssueTokenAsync(OmneoCustomerTokenRequest body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Template[1..]);
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, OmneoIdJson.Default.OmneoCustomerTokenRequest));
        request.Content.Headers.ContentType = Json;
        request.Options.Set(RetrySafeKey, true);
        request.Options.Set(MethodNameKey, Operation);
        request.Options.Set(TemplateKey, Template);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is not UpstreamException and not OperationCanceledException)
        {
            throw UpstreamResponses.RequestFailed(OmneoClient.Name, ex);
        }
    }

    /// <summary>The body of a successful answer; a 502-class failure when it is not JSON of that shape or cannot be read.</summary>
    public static async Task<OmneoEnvelope<OmneoCustomerToken>> ReadTokenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(stream, OmneoIdJson.Default.OmneoEnvelopeOmneoCustomerToken, cancellationToken)
                ?? throw new UpstreamException(OmneoClient.Name, UpstreamFailure.BadResponse, "unreadable body");
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException or NotSupportedException)
        {
            throw new UpstreamException(OmneoClient.Name, UpstreamFailure.BadResponse, "unreadable body", inner: ex);
        }
    }
}
