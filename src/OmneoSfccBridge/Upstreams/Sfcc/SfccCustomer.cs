using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>The customer document of OCAPI (Shop API and Data API share its core fields).</summary>
public sealed class SfccCustomer
{
    public string? CustomerId { get; init; }

    /// <summary><c>guest</c> or <c>registered</c> (Shop API only).</summary>
    public string? AuthType { get; init; }

    public string? CustomerNo { get; init; }

    public string? Login { get; init; }

    public string? Email { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? PhoneMobile { get; init; }

    public string? PhoneHome { get; init; }

    /// <summary>ISO date, e.g. <c>1990-04-21</c>.</summary>
    public string? Birthday { get; init; }

    /// <summary>1 male, 2 female.</summary>
    public int? Gender { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>Custom attributes (<c>c_*</c>) and whatever else the instance adds.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore]
    public bool IsRegistered => string.Equals(AuthType, "registered", StringComparison.Ordinal) || (AuthType is null && !string.IsNullOrEmpty(CustomerNo));
}
