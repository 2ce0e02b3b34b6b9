namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>An Omneo customer token and when it expires.</summary>
internal sealed record OmneoToken(string Token, DateTimeOffset ExpiresAt);
