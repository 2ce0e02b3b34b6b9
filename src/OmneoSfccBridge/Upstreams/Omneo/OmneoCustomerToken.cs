namespace OmneoSfccBridge.Upstreams.Omneo;

public sealed class OmneoCustomerToken
{
    public string? Token { get; init; }

    /// <summary>Unix seconds.</summary>
    public long? Exp { get; init; }
}
