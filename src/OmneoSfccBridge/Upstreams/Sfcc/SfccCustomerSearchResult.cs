namespace OmneoSfccBridge.Upstreams.Sfcc;

public sealed class SfccCustomerSearchResult
{
    public int Count { get; init; }

    public int Start { get; init; }

    public int Total { get; init; }

    public List<SfccCustomerHit> Hits { get; init; } = [];
}
