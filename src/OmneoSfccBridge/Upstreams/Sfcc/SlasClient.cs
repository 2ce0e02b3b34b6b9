using System.Net;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>What the bridge asks of SLAS and the Shopper Customers API, in its own terms.</summary>
internal sealed class SlasClient(ISlasAuthApi auth, ISlasShopperCustomersApi customers, IOptions<SlasOptions> slas, IOptions<SfccOptions> sfcc)
{
    public const string Name = "SLAS";

    /// <summary>A JWKS larger than this is not a key set SLAS would publish (it holds two or three keys).</summary>
    public const int MaxJwksChars = 64 * 1024;

    /// <summary>The JWKS document as SLAS serves it; any failure is an <see cref="UpstreamException"/>.</summary>
    public async Task<string> GetJwksAsync(CancellationToken cancellationToken)
    {
        using var response = await auth.GetJwksAsync(slas.Value.OrganizationId, cancellationToken).Checked(Name);
        var body = response.Require(Name);
        return body.Length <= MaxJwksChars
            ? body
            : throw new UpstreamException(Name, UpstreamFailure.BadResponse, "JWKS larger than the cap");
    }

    /// <summary>
    /// The customer of a verified registered SLAS token, read with that token, or null when SCAPI declines it (the
    /// shopper logged out, the customer is gone). <paramref name="customerId"/> passed the identifier rule already.
    /// </summary>
    public async Task<SfccCustomer?> GetCustomerWithTokenAsync(string customerId, string token, CancellationToken cancellationToken)
    {
        if (!UpstreamIdentifier.IsValid(customerId))
        {
            throw new UpstreamException(Name, UpstreamFailure.BadResponse, "refused to put an invalid customer id into a request");
        }

        using var response = await customers.GetCustomerAsync(slas.Value.OrganizationId, customerId, sfcc.Value.SiteId, "Bearer " + token, cancellationToken).Checked(Name);
        return response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            ? null
            : response.Require(Name);
    }
}
