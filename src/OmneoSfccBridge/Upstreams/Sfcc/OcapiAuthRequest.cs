namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>Body of <c>POST /customers/auth</c>.</summary>
public sealed record OcapiAuthRequest(string Type);
