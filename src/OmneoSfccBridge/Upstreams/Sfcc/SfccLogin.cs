namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>The outcome of a credentials login: the customer and the token SFCC issued, or refused.</summary>
internal sealed record SfccLogin(SfccCustomer Customer, string Token);
