using System.Text.Json;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>The writable profile fields; nulls are left out of the request.</summary>
public sealed record OmneoProfileInput
{
    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Email { get; init; }

    public string? MobilePhone { get; init; }

    public string? Gender { get; init; }

    public int? BirthDay { get; init; }

    public int? BirthMonth { get; init; }

    public int? BirthYear { get; init; }

    public Dictionary<string, JsonElement>? CustomFields { get; init; }
}
