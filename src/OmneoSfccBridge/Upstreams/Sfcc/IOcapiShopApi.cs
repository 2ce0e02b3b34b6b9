using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>OCAPI Shop API, at <c>{InstanceUrl}/s/{SiteId}/dw/shop/v{OcapiVersion}</c>; the client id header is set on the client.</summary>
public interface IOcapiShopApi
{
    /// <summary>Credentials, guest or refresh login; the new JWT comes back in the response <c>Authorization</c> header.</summary>
    [Post("/customers/auth")]
    Task<IApiResponse<SfccCustomer>> AuthenticateAsync([Body] OcapiAuthRequest request, [Header("Authorization")] string authorization, CancellationToken cancellationToken);

    /// <summary>The customer the token belongs to; OCAPI declines a token whose signature or expiry fails.</summary>
    [Get("/customers/{customerId}")]
    Task<IApiResponse<SfccCustomer>> GetCustomerAsync(string customerId, [Header("Authorization")] string authorization, CancellationToken cancellationToken);

    /// <summary>Registers the guest of the bearer token as a customer.</summary>
    [Post("/customers")]
    Task<IApiResponse<SfccCustomer>> RegisterAsync([Body] OcapiRegistration registration, [Header("Authorization")] string authorization, CancellationToken cancellationToken);
}
