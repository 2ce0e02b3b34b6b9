namespace OmneoSfccBridge.Upstreams.Omneo;

public sealed record OmneoSearchIdRequest(string Type, string Id);
