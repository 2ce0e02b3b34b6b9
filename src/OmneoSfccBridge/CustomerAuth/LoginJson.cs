using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmneoSfccBridge.CustomerAuth;

/// <summary>
/// Serialization metadata for the login answer, generated at build time rather than by reflection: every login writes
/// one. The same conventions as the bridge's HTTP JSON options (web defaults, snake_case names).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginResponse))]
internal sealed partial class LoginJson : JsonSerializerContext;
