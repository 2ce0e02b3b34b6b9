using System.Text.Json;
using OmneoSfccBridge.Upstreams;
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
    Task<IApiResponse<SfccCustomerSearchResult>> SearchCustomersAsync(string listId, [Body] JsonElement query, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);
}

public sealed class SfccCustomerSearchResult
{
    public int Count { get; init; }

    public int Start { get; init; }

    public int Total { get; init; }

    public List<SfccCustomerHit> Hits { get; init; } = [];
}

public sealed class SfccCustomerHit
{
    public SfccCustomer? Data { get; init; }
}

/// <summary>Account Manager's OAuth endpoint; its path comes from the configured URL.</summary>
public interface IAccountManagerApi
{
    [Post("/{**path}")]
    Task<IApiResponse<AccountManagerToken>> RequestTokenAsync(string path, [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Header("Authorization")] string basicAuthorization, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);
}
