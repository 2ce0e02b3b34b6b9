namespace OmneoSfccBridge.Upstreams.Sfcc;

public sealed class OcapiFault
{
    public string? Type { get; init; }

    public string? Message { get; init; }
}
