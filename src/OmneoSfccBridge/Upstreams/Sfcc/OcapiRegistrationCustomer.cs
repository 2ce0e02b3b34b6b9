namespace OmneoSfccBridge.Upstreams.Sfcc;

public sealed record OcapiRegistrationCustomer(
    string Login,
    string Email,
    string FirstName,
    string LastName,
    string? PhoneMobile = null,
    string? Birthday = null);
