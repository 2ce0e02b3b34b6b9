namespace OmneoSfccBridge.Webhooks;

/// <summary>One subscribed event and what subscribing it did: <c>created</c>, <c>updated</c> or <c>unchanged</c>.</summary>
public sealed record WebhookSubscription(string Trigger, string Id, string Action);
