using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Omneo wraps single resources as <c>{"data": ...}</c>.</summary>
public sealed class OmneoEnvelope<T>
{
    public T? Data { get; init; }
}

/// <summary>A page of a listing: <c>{"data":[..],"links":{..},"meta":{..}}</c>.</summary>
public sealed class OmneoPage<T>
{
    public List<T> Data { get; init; } = [];

    public OmneoPageMeta? Meta { get; init; }
}

public sealed class OmneoPageMeta
{
    public int CurrentPage { get; init; }

    public int LastPage { get; init; }

    public int PerPage { get; init; }

    public int Total { get; init; }
}

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

/// <summary>Links an external system's id to a profile; handle + identifier is unique.</summary>
public sealed class OmneoIdentity
{
    public string? Handle { get; init; }

    public string? Identifier { get; init; }

    public bool? IsPrimary { get; init; }

    public bool? IsActive { get; init; }
}

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

public sealed record OmneoIdentityInput(string Handle, string Identifier, bool IsPrimary = true, bool IsActive = true);

public sealed record OmneoSearchIdRequest(string Type, string Id);

public sealed record OmneoMergeRequest(string SourceProfileId, string DestinationProfileId);

/// <summary>Body of the ID API token request; an empty id asks for an anonymous token.</summary>
public sealed record OmneoCustomerTokenRequest(string Id, string? IdHandle = null);

public sealed class OmneoCustomerToken
{
    public string? Token { get; init; }

    /// <summary>Unix seconds.</summary>
    public long? Exp { get; init; }
}

/// <summary>Omneo's OAuth answer; only <c>access_token</c> is documented.</summary>
public sealed class OmneoAccessToken
{
    public string? AccessToken { get; init; }

    public int? ExpiresIn { get; init; }
}

/// <summary>A webhook subscription: Omneo POSTs events of <c>trigger</c> to <c>url</c>; changes made with the token of its <c>namespace</c> are not sent.</summary>
public sealed class OmneoWebhook
{
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Id { get; init; }

    public string? Trigger { get; init; }

    public string? Url { get; init; }

    public string? Namespace { get; init; }

    public bool? IsActive { get; init; }
}

public sealed record OmneoWebhookInput(string Trigger, string Url, string? Namespace, bool IsActive);
