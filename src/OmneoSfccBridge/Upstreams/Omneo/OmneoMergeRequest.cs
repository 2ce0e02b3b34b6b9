namespace OmneoSfccBridge.Upstreams.Omneo;

public sealed record OmneoMergeRequest(string SourceProfileId, string DestinationProfileId);
