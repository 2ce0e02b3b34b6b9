using System.Text.Json.Serialization;

namespace OmneoSfccBridge.Upstreams.Omneo;

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
