using System.Text.Json;
using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>OCAPI Data API, at <c>{InstanceUrl}/s/-/dw/data/v{OcapiVersion}</c>, authorised by an Account Manager token.</summary>
public interface IOcapiDataApi
{
    [Get("/customer_lists/{listId}/customers/{customerNo}")]
    Task<IApiResponse<SfccCustomer>> GetCustomerAsync(string listId, string customerNo, CancellationToken cancellationToken);

    [Patch("/customer_lists/{listId}/customers/{customerNo}")]
    Task<IApiResponse<SfccCustomer>> PatchCustomerAsync(string listId, string customerNo, [Body] JsonElement changes, CancellationToken cancellationToken);

    [Post("/customer_lists/{listId}/customer_search")]
    Task<IApiResponse<SfccCustomerSearchResult>> SearchCustomersAsync(string listId, [Body] CustomerSearchRequest query, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);
}
