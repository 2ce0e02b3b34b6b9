using System.Text.Json;

namespace OmneoSfccBridge.Sandbox;

/// <summary>A demo SFCC customer (the password is the sandbox's, printed at start-up).</summary>
public sealed class SandboxCustomer
{
    public required string CustomerId { get; init; }

    public required string CustomerNo { get; init; }

    public required string Login { get; set; }

    public required string Password { get; set; }

    public required string Email { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? PhoneMobile { get; set; }

    public string? Birthday { get; set; }

    public int? Gender { get; set; }

    public DateTimeOffset CreationDate { get; init; }

    public DateTimeOffset LastModified { get; set; }

    /// <summary>Custom attributes (<c>c_*</c>), e.g. <c>c_emailVerified</c> as a storefront's verification flow sets it.</summary>
    public Dictionary<string, JsonElement> Custom { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets the custom attribute the sandbox bridge reads as "email verified".</summary>
    public SandboxCustomer WithEmailVerified(bool verified)
    {
        Custom[SandboxSfcc.EmailVerifiedAttribute] = JsonSerializer.SerializeToElement(verified);
        return this;
    }

    /// <summary>Applies every <c>c_*</c> member of a change (a Data API PATCH or a sandbox edit).</summary>
    internal void ApplyCustom(JsonElement changes)
    {
        if (changes.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var member in changes.EnumerateObject().Where(m => m.Name.StartsWith("c_", StringComparison.Ordinal)))
        {
            Custom[member.Name] = member.Value.Clone();
        }
    }
}
