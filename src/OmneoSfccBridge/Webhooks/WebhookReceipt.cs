namespace OmneoSfccBridge.Webhooks;

/// <summary>What the bridge answers Omneo: the stored delivery and whether it was new.</summary>
public sealed record WebhookReceipt(long EventId, string Event, bool Duplicate);
