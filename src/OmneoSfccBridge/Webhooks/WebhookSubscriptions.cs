namespace OmneoSfccBridge.Webhooks;

/// <summary>The bridge's webhook subscriptions in Omneo after <c>POST /admin/omneo/webhooks</c>.</summary>
public sealed record WebhookSubscriptions(string Url, string? Namespace, IReadOnlyList<WebhookSubscription> Webhooks);
