namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>How a registration ended.</summary>
internal abstract record RegistrationOutcome
{
    public sealed record Created(CreateResponse Response) : RegistrationOutcome;

    public sealed record TokenRefused : RegistrationOutcome;

    public sealed record NotGuest : RegistrationOutcome;

    public sealed record LoginTaken : RegistrationOutcome;

    public sealed record PasswordRejected(string? Reason) : RegistrationOutcome;

    public sealed record RejectedBySfcc : RegistrationOutcome;

    public sealed record KeyReused : RegistrationOutcome;
}
