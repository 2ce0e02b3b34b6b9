using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>SLAS, at <c>{Slas__BaseUrl}/shopper/auth/v1</c>: only its public key set is read.</summary>
public interface ISlasAuthApi
{
    /// <summary>The tenant's token signing keys (public, no credentials); SLAS allows 25 calls a minute per tenant.</summary>
    [Get("/shopper/auth/v1/organizations/{organizationId}/oauth2/jwks")]
    Task<IApiResponse<string>> GetJwksAsync(string organizationId, CancellationToken cancellationToken);
}

/// <summary>
/// The SCAPI Shopper Customers API, called with the shopper's own SLAS token. Its customer document has OCAPI's fields
/// in camelCase, so it is read into the same <see cref="SfccCustomer"/> with SCAPI's (camelCase) serializer settings.
/// </summary>
public interface ISlasShopperCustomersApi
{
    [Get("/customer/shopper-customers/v1/organizations/{organizationId}/customers/{customerId}")]
    Task<IApiResponse<SfccCustomer>> GetCustomerAsync(
        string organizationId,
        string customerId,
        [Query] string siteId,
        [Header("Authorization")] string authorization,
        CancellationToken cancellationToken);
}
