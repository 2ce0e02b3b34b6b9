using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>The token call's JSON, generated at build time with <see cref="UpstreamJson.Options"/>'s conventions.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OmneoCustomerTokenRequest))]
[JsonSerializable(typeof(OmneoEnvelope<OmneoCustomerToken>))]
internal sealed partial class OmneoIdJson : JsonSerializerContext;
