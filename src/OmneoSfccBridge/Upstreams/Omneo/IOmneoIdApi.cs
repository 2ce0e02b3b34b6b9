using Refit;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Omneo ID API, at <c>{BaseUrl}/id/api/v1</c>, with the bridge's admin token.</summary>
public interface IOmneoIdApi
{
    /// <summary>Mints a customer token; minting twice has no side effect, so it may be retried.</summary>
    [Post("/auth/token")]
    Task<IApiResponse<OmneoEnvelope<OmneoCustomerToken>>> IssueTokenAsync([Body] OmneoCustomerTokenRequest request, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);
}
