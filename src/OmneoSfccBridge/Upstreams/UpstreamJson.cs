using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace OmneoSfccBridge.Upstreams;

/// <summary>The JSON conventions SFCC and Omneo share: snake_case names, nulls left out of requests.</summary>
internal static class UpstreamJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static readonly RefitSettings RefitSettings = new(new SystemTextJsonContentSerializer(Options));
}
