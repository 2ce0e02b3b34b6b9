using System.Text;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>The Data API's bearer token: Account Manager client credentials, cached until shortly before expiry.</summary>
internal sealed class AccountManagerTokenSource(IAccountManagerApi api, IOptions<SfccOptions> options, TimeProvider time) : CachedAccessTokenSource(time)
{
    protected override async Task<(string Token, TimeSpan Lifetime)> FetchAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.ClientId}:{o.ClientSecret}"));
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        var response = await api.RequestTokenAsync(o.AccountManagerTokenUrl!.AbsolutePath.TrimStart('/'), form, basic, retrySafe: true, cancellationToken).Checked(SfccClient.Name);
        var body = response.Require(SfccClient.Name);
        if (string.IsNullOrEmpty(body.AccessToken))
        {
            throw new UpstreamException(SfccClient.Name, UpstreamFailure.BadResponse, "Account Manager answer without access_token");
        }

        return (body.AccessToken, TimeSpan.FromSeconds(body.ExpiresIn is > 0 ? body.ExpiresIn.Value : 1799));
    }
}
