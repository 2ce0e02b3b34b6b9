namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>
/// Omneo ID API's token endpoint, at <c>{BaseUrl}/id/api/v1/auth/token</c>, with the bridge's admin token. It is the one
/// upstream call of every warm login, so it is a plain typed <see cref="HttpClient"/> with source-generated JSON rather
/// than a Refit client (see <see cref="UpstreamRequests"/>): the same handler and resilience around it, none of Refit's
/// request building and reflection-based serialization.
/// </summary>
internal sealed class OmneoIdApi(HttpClient http)
{
    /// <summary>The operation name the metrics record for this call (the Refit method's name it had).</summary>
    public const string Operation = "IssueTokenAsync";

    /// <summary>
    /// Mints a customer token (minting twice has no side effect, so it may be retried). Transport failures, 429 and 5xx
    /// arrive as <see cref="UpstreamException"/> from the handlers; any other answer is returned for the caller to read.
    /// </summary>
    public Task<HttpResponseMessage> IssueTokenAsync(OmneoCustomerTokenRequest body, CancellationToken cancellationToken) =>
        http.SendUpstreamAsync(
            UpstreamRequests.Create(HttpMethod.Post, "auth/token", Operation, "/auth/token", retrySafe: true).WithJson(body, OmneoJson.Default.OmneoCustomerTokenRequest),
            OmneoClient.Name,
            cancellationToken);

    /// <summary>The body of a successful answer; a 502-class failure when it is not JSON of that shape or cannot be read.</summary>
    public static Task<OmneoEnvelope<OmneoCustomerToken>> ReadTokenAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.ReadJsonAsync(OmneoJson.Default.OmneoEnvelopeOmneoCustomerToken, OmneoClient.Name, cancellationToken);
}
