using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>An Omneo profile: the fields the bridge reads or writes.</summary>
public sealed class OmneoProfile
{
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Id { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Email { get; init; }

    public string? MobilePhone { get; init; }

    public string? Gender { get; init; }

    public int? BirthDay { get; init; }

    public int? BirthMonth { get; init; }

    public int? BirthYear { get; init; }

    public Dictionary<string, JsonElement>? CustomFields { get; init; }

    public List<OmneoIdentity>? Identities { get; init; }

    public string? CreatedAt { get; init; }

    public string? UpdatedAt { get; init; }
}
