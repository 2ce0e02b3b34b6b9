using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>The bridge's Omneo admin token by OAuth (<c>/api/v3/auth/token</c>), cached until shortly before expiry.</summary>
internal sealed class OmneoOAuthTokenSource(IOmneoAuthApi api, IOptions<OmneoOptions> options, TimeProvider time) : CachedAccessTokenSource(time)
{
    protected override async Task<(string Token, TimeSpan Lifetime)> FetchAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = o.GrantType,
            ["client_id"] = o.ClientId!,
            ["client_secret"] = o.ClientSecret!,
            ["scope"] = o.Scope,
        };
        if (!string.IsNullOrEmpty(o.Username))
        {
            form["username"] = o.Username;
            form["password"] = o.Password ?? "";
        }

        var response = await api.RequestTokenAsync(form, retrySafe: true, cancellationToken).Checked(OmneoClient.Name);
        var body = response.Require(OmneoClient.Name);
        if (string.IsNullOrEmpty(body.AccessToken))
        {
            throw new UpstreamException(OmneoClient.Name, UpstreamFailure.BadResponse, "OAuth answer without access_token");
        }

        var lifetime = TimeSpan.FromSeconds(body.ExpiresIn is > 0 ? body.ExpiresIn.Value : o.AdminTokenFallbackLifetimeSeconds);
        return (body.AccessToken, lifetime);
    }
}
