namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>Account Manager's client-credentials answer.</summary>
public sealed class AccountManagerToken
{
    public string? AccessToken { get; init; }

    public string? TokenType { get; init; }

    public int? ExpiresIn { get; init; }
}
