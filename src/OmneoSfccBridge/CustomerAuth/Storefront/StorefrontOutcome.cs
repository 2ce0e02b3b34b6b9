namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>What became of a storefront login.</summary>
internal abstract record StorefrontOutcome
{
    public sealed record Accepted(LoginResponse Login) : StorefrontOutcome;

    public sealed record Refused : StorefrontOutcome;

    public sealed record Limited(TimeSpan RetryAfter) : StorefrontOutcome;
}
