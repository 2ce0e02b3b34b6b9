using System.Net;
using System.Text;
using System.Text.Json;
using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>
/// What the bridge asks of SFCC, in its own terms. Says what SFCC's 4xx answers mean; transport failures, 429 and
/// 5xx are already <see cref="UpstreamException"/>s by the time they get here.
/// </summary>
internal sealed class SfccClient(IOcapiShopApi shop, IOcapiDataApi data, Microsoft.Extensions.Options.IOptions<SfccOptions> options)
{
    public const string Name = "SFCC";

    /// <summary>A registered login. Sent once: SFCC counts failed attempts and locks accounts, so it is never retried.</summary>
    public async Task<SfccLogin?> LoginWithCredentialsAsync(string login, string password, CancellationToken cancellationToken)
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}:{password}"));
        using var response = await shop.AuthenticateAsync(new OcapiAuthRequest("credentials"), basic, cancellationToken).Checked(Name);
        if (response.StatusCode is { } status && IsRefusal(status))
        {
            return null;
        }

        var customer = response.Require(Name);
        var token = BearerFrom(response);
        return customer.IsRegistered && !string.IsNullOrEmpty(customer.CustomerNo)
            ? new SfccLogin(customer, token)
            : throw new UpstreamException(Name, UpstreamFailure.BadResponse, "credentials login did not return a registered customer");
    }

    /// <summary>The customer a token belongs to, or null when SFCC declines the token.</summary>
    public async Task<SfccCustomer?> GetCustomerWithTokenAsync(string customerId, string token, CancellationToken cancellationToken)
    {
        using var response = await shop.GetCustomerAsync(PathSafe(customerId, "customer_id"), "Bearer " + token, cancellationToken).Checked(Name);
        return response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound ? null : response.Require(Name);
    }

    /// <summary>Registers the guest of <paramref name="guestToken"/>; never retried.</summary>
    public async Task<SfccRegistration> RegisterAsync(string guestToken, OcapiRegistration registration, CancellationToken cancellationToken)
    {
        using var response = await shop.RegisterAsync(registration, "Bearer " + guestToken, cancellationToken).Checked(Name);
        if (response.IsSuccessStatusCode)
        {
            var customer = response.Require(Name);
            return string.IsNullOrEmpty(customer.CustomerNo)
                ? throw new UpstreamException(Name, UpstreamFailure.BadResponse, "registration answer without customer_no")
                : new SfccRegistration(customer, SfccRegistrationError.None, null);
        }

        var fault = FaultOf(response.Error as ApiException);
        return (response.StatusCode, fault?.Type) switch
        {
            (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) => new(null, SfccRegistrationError.TokenRefused, fault?.Type),
            (_, "LoginAlreadyInUseException" or "CustomerAlreadyRegisteredException") => new(null, SfccRegistrationError.LoginTaken, fault?.Type),
            (HttpStatusCode.Conflict, _) => new(null, SfccRegistrationError.LoginTaken, fault?.Type),
            (HttpStatusCode.BadRequest, { } type) when type.Contains("Password", StringComparison.OrdinalIgnoreCase) =>
                new(null, SfccRegistrationError.PasswordRejected, fault?.Message),
            (HttpStatusCode.BadRequest, _) => new(null, SfccRegistrationError.Invalid, fault?.Type),
            _ => throw response.Unexpected(Name),
        };
    }

    /// <summary>A customer by number through the Data API, or null when the list has no such customer.</summary>
    public async Task<SfccCustomer?> GetCustomerByNumberAsync(string customerNo, CancellationToken cancellationToken)
    {
        using var response = await data.GetCustomerAsync(options.Value.CustomerListId, PathSafe(customerNo, "customer_no"), cancellationToken).Checked(Name);
        return response.StatusCode == HttpStatusCode.NotFound ? null : response.Require(Name);
    }

    /// <summary>Writes fields to a customer through the Data API. A 4xx other than 404 comes back as the fault type (the record is set aside).</summary>
    public async Task<(SfccCustomer? Customer, bool NotFound, string? Refused)> PatchCustomerAsync(string customerNo, System.Text.Json.Nodes.JsonObject changes, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToElement(changes, UpstreamJson.Options);
        using var response = await data.PatchCustomerAsync(options.Value.CustomerListId, PathSafe(customerNo, "customer_no"), body, cancellationToken).Checked(Name);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, true, null);
        }

        if (response.StatusCode is { } status && (int)status is >= 400 and < 500)
        {
            return (null, false, FaultOf(response.Error as ApiException)?.Type ?? $"SFCC answered {(int)status}");
        }

        return (response.Require(Name), false, null);
    }

    /// <summary>
    /// One page of the configured customer list with <paramref name="field"/> (last_modified or creation_date) at or
    /// after <paramref name="from"/>, ascending by that field then customer_no, so <paramref name="start"/> only ever
    /// skips customers sharing the boundary timestamp. Searching has no side effect, so it may be retried.
    /// </summary>
    public async Task<SfccCustomerSearchResult> SearchCustomersAsync(string field, DateTimeOffset? from, int start, int count, CancellationToken cancellationToken)
    {
        using var response = await data.SearchCustomersAsync(options.Value.CustomerListId, CustomerSearchRequest.Page(field, from, start, count), retrySafe: true, cancellationToken).Checked(Name);
        return response.Require(Name);
    }

    /// <summary>
    /// The backstop behind every boundary check: an identifier that could walk a path (<c>..</c>, <c>a/b</c>) never goes
    /// into one. Client input was refused with a 4xx long before; what gets here came from an upstream answer or a
    /// stored link, so it is a bad answer. The value itself is never put into the reason (it reaches logs).
    /// </summary>
    private static string PathSafe(string? value, string what) =>
        UpstreamIdentifier.IsValid(value) ? value : throw new UpstreamException(Name, UpstreamFailure.BadResponse, $"refused to put an invalid {what} into a request");

    private static bool IsRefusal(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    private static string BearerFrom(IApiResponse response)
    {
        if (response.Headers is not null && response.Headers.TryGetValues("Authorization", out var values)
            && values.FirstOrDefault() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && header.Length > 7)
        {
            return header[7..].Trim();
        }

        throw new UpstreamException(Name, UpstreamFailure.BadResponse, "no bearer token in the Authorization response header");
    }

    private static OcapiFault? FaultOf(ApiException? error)
    {
        if (error?.Content is not { Length: > 0 } content)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<OcapiFaultBody>(content, UpstreamJson.Options)?.Fault;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
