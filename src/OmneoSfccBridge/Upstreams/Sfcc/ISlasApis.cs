using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>SLAS, at <c>{Slas__BaseUrl}/shopper/auth/v1</c>: only its public key set is read.</summary>
public interface ISlasAuthApi
{
    /// <summary>The tenant's token signing keys (public, no credentials); SLAS allows 25 calls a minute per tenant.</summary>
    [Get("/shopper/auth/v1/organizations/{organizationId}/oauth2/jwks")]
    Task<IApiResponse<string>> GetJwksAsync(string organizationId, CancellationToken cancellationToken);
}

/// <summary>The SCAPI Shopper Customers API, called with the shopper's own SLAS token.</summary>
public interface ISlasShopperCustomersApi
{
    [Get("/customer/shopper-customers/v1/organizations/{organizationId}/customers/{customerId}")]
    Task<IApiResponse<ScapiCustomer>> GetCustomerAsync(
        string organizationId,
        string customerId,
        [Query] string siteId,
        [Header("Authorization")] string authorization,
        CancellationToken cancellationToken);
}

/// <summary>A customer as SCAPI shows it (camelCase; custom attributes as <c>c_*</c>).</summary>
public sealed class ScapiCustomer
{
    public string? CustomerId { get; init; }

    public string? CustomerNo { get; init; }

    /// <summary><c>guest</c> or <c>registered</c>.</summary>
    public string? AuthType { get; init; }

    public string? Login { get; init; }

    public string? Email { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? PhoneMobile { get; init; }

    public string? PhoneHome { get; init; }

    public string? Birthday { get; init; }

    public int? Gender { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>The same customer in the OCAPI shape the rest of the bridge (linking, mapping) reads; only <c>c_*</c> extras kept.</summary>
    internal SfccCustomer ToSfccCustomer() => new()
    {
        CustomerId = CustomerId,
        CustomerNo = CustomerNo,
        AuthType = AuthType,
        Login = Login,
        Email = Email,
        FirstName = FirstName,
        LastName = LastName,
        PhoneMobile = PhoneMobile,
        PhoneHome = PhoneHome,
        Birthday = Birthday,
        Gender = Gender,
        CreationDate = CreationDate,
        LastModified = LastModified,
        Extra = Extra?.Where(e => e.Key.StartsWith("c_", StringComparison.Ordinal)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
    };
}
