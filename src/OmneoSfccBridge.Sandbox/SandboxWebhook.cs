namespace OmneoSfccBridge.Sandbox;

/// <summary>A simulated Omneo webhook subscription.</summary>
public sealed record SandboxWebhook(string Id, string Trigger, string Url, string? Namespace, bool IsActive);
