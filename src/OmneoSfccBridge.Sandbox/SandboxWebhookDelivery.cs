namespace OmneoSfccBridge.Sandbox;

/// <summary>The changed profile and the status the bridge answered its webhook with.</summary>
public sealed record SandboxWebhookDelivery(object Profile, int WebhookStatus);
