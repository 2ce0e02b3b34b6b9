namespace OmneoSfccBridge.Upstreams.Omneo;

public sealed record OmneoIdentityInput(string Handle, string Identifier, bool IsPrimary = true, bool IsActive = true);
