namespace OmneoSfccBridge.Upstreams.Sfcc;

internal sealed record SfccRegistration(SfccCustomer? Customer, SfccRegistrationError Error, string? Reason);
