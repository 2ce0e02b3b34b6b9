namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>The outcome of a registration.</summary>
internal enum SfccRegistrationError
{
    None,
    TokenRefused,
    LoginTaken,
    PasswordRejected,
    Invalid,
}
