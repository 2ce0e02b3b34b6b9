namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>Body of <c>POST /customers</c> (registration with a guest JWT).</summary>
public sealed record OcapiRegistration(string Password, OcapiRegistrationCustomer Customer);
