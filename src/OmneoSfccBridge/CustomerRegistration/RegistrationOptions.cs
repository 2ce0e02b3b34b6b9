namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>How much registration work one bridge instance takes on at once, and how <c>POST /create</c> keeps its <c>Idempotency-Key</c>s.</summary>
public sealed class RegistrationOptions
{
    public const string SectionName = "Registration";

    /// <summary>
    /// <c>/create</c> requests processed at once by this instance; as many more wait in line, the rest get 503. Each
    /// one may hold two database connections (its login and email locks) while SFCC and Omneo answer, so this bounds
    /// how much of the connection pool slow upstreams can take.
    /// </summary>
    public int MaxConcurrent { get; set; } = 16;

    /// <summary>The shortest secret accepted, in UTF-8 bytes.</summary>
    public const int MinSecretBytes = 32;

    /// <summary>
    /// Server-side secret (at least 32 bytes, e.g. <c>openssl rand -base64 48</c>) from which the key of the stored
    /// request fingerprints is derived. Without it a leaked database row cannot be used to test password guesses
    /// offline. Changing it only makes the keys of the last 24 hours unknown (their retries run as new requests).
    /// </summary>
    public string IdempotencySecret { get; set; } = "";
}
