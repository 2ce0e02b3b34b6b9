using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>The JSON of the typed Omneo clients (ID token, profiles, webhooks), generated at build time with <see cref="UpstreamJson.Options"/>'s conventions.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OmneoCustomerTokenRequest))]
[JsonSerializable(typeof(OmneoEnvelope<OmneoCustomerToken>))]
[JsonSerializable(typeof(OmneoSearchIdRequest))]
[JsonSerializable(typeof(OmneoProfileInput))]
[JsonSerializable(typeof(OmneoIdentityInput))]
[JsonSerializable(typeof(OmneoMergeRequest))]
[JsonSerializable(typeof(OmneoEnvelope<OmneoProfile>))]
[JsonSerializable(typeof(OmneoEnvelope<OmneoIdentity>))]
[JsonSerializable(typeof(OmneoPage<OmneoProfile>))]
[JsonSerializable(typeof(OmneoWebhookInput))]
[JsonSerializable(typeof(OmneoEnvelope<OmneoWebhook>))]
[JsonSerializable(typeof(OmneoPage<OmneoWebhook>))]
[JsonSerializable(typeof(OmneoValidationErrors))]
internal sealed partial class OmneoJson : JsonSerializerContext;
