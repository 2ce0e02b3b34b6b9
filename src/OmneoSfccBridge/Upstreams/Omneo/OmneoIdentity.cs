namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Links an external system's id to a profile; handle + identifier is unique.</summary>
public sealed class OmneoIdentity
{
    public string? Handle { get; init; }

    public string? Identifier { get; init; }

    public bool? IsPrimary { get; init; }

    public bool? IsActive { get; init; }
}
