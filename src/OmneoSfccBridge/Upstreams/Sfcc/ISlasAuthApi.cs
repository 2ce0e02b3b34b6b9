using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>SLAS, at <c>{Slas__BaseUrl}/shopper/auth/v1</c>: only its public key set is read.</summary>
public interface ISlasAuthApi
{
    /// <summary>The tenant's token signing keys (public, no credentials); SLAS allows 25 calls a minute per tenant.</summary>
    [Get("/shopper/auth/v1/organizations/{organizationId}/oauth2/jwks")]
    Task<IApiResponse<string>> GetJwksAsync(string organizationId, CancellationToken cancellationToken);
}
