namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>A page of a listing: <c>{"data":[..],"links":{..},"meta":{..}}</c>.</summary>
public sealed class OmneoPage<T>
{
    public List<T> Data { get; init; } = [];

    public OmneoPageMeta? Meta { get; init; }
}
