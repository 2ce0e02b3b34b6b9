namespace OmneoSfccBridge.Profiles;

/// <summary>When an SFCC customer may be linked to an existing Omneo profile because they share an email.</summary>
public enum EmailMatchPolicy
{
    /// <summary>Only when SFCC says the customer's email is verified (<see cref="ProfilesOptions.EmailVerifiedAttribute"/> is true).</summary>
    Verified,

    /// <summary>Always: for storefronts that verify every email before an account exists. Anyone who can register with someone else's email gets their profile otherwise.</summary>
    Always,

    /// <summary>Never: only the SFCC identity links; email matches are recorded as candidates for support.</summary>
    Never,
}
