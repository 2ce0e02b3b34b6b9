namespace OmneoSfccBridge.Upstreams.Omneo;

public sealed record OmneoWebhookInput(string Trigger, string Url, string? Namespace, bool IsActive);
