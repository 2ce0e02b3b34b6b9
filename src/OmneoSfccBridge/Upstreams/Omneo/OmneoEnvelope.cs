namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Omneo wraps single resources as <c>{"data": ...}</c>.</summary>
public sealed class OmneoEnvelope<T>
{
    public T? Data { get; init; }
}
