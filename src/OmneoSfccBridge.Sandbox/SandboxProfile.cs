namespace OmneoSfccBridge.Sandbox;

/// <summary>
/// A simulated Omneo profile. Its email and identities may be changed directly (tests do, as a CX Manager edit would);
/// the owning <see cref="SandboxOmneo"/> keeps its lookups in step.
/// </summary>
public sealed class SandboxProfile
{
    private string? _email;

    public SandboxProfile() => Identities = new SandboxIdentities(this);

    public required string Id { get; init; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email
    {
        get => _email;
        set
        {
            if (Owner is { } owner)
            {
                owner.ChangeEmail(this, value);
            }
            else
            {
                _email = value;
            }
        }
    }

    public string? MobilePhone { get; set; }

    public string? Gender { get; set; }

    public int? BirthDay { get; set; }

    public int? BirthMonth { get; set; }

    public int? BirthYear { get; set; }

    public SandboxIdentities Identities { get; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The sandbox whose indexes list this profile; null before it is added and after it is merged away.</summary>
    internal SandboxOmneo? Owner { get; set; }

    internal void SetEmailUnindexed(string? email) => _email = email;
}
