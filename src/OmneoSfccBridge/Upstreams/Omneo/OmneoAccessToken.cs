namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Omneo's OAuth answer; only <c>access_token</c> is documented.</summary>
public sealed class OmneoAccessToken
{
    public string? AccessToken { get; init; }

    public int? ExpiresIn { get; init; }
}
