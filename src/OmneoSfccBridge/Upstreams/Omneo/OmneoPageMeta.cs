namespace OmneoSfccBridge.Upstreams.Omneo;

public sealed class OmneoPageMeta
{
    public int CurrentPage { get; init; }

    public int LastPage { get; init; }

    public int PerPage { get; init; }

    public int Total { get; init; }
}
