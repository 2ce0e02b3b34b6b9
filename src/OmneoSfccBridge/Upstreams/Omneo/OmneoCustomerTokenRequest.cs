namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Body of the ID API token request; an empty id asks for an anonymous token.</summary>
public sealed record OmneoCustomerTokenRequest(string Id, string? IdHandle = null);
