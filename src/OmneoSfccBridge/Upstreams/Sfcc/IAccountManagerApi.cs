using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>Account Manager's OAuth endpoint; its path comes from the configured URL.</summary>
public interface IAccountManagerApi
{
    [Post("/{**path}")]
    Task<IApiResponse<AccountManagerToken>> RequestTokenAsync(string path, [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Header("Authorization")] string basicAuthorization, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);
}
