using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

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
