namespace OmneoSfccBridge.Storage;

/// <summary>A stored Omneo webhook delivery.</summary>
public sealed record WebhookEvent(long Id, string Event, string? ProfileId, string Body, string Status, string? Detail);
