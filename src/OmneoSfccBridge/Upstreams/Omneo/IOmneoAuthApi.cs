using Refit;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Omneo OAuth, at <c>{BaseUrl}/api/v3/auth/token</c>.</summary>
public interface IOmneoAuthApi
{
    [Post("/auth/token")]
    Task<IApiResponse<OmneoAccessToken>> RequestTokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);
}
