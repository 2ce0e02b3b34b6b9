namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>OCAPI's error body: <c>{"_v":"..","fault":{"type":"..","message":".."}}</c>.</summary>
public sealed class OcapiFaultBody
{
    public OcapiFault? Fault { get; init; }
}
