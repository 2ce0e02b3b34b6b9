namespace OmneoSfccBridge.Storage;

/// <summary>Where a stored Omneo webhook delivery stands (stored in <c>webhook_events.status</c> and shown by the admin API).</summary>
public static class WebhookStatus
{
    /// <summary>Received and stored; its job has not settled it yet.</summary>
    public const string Pending = "pending";

    /// <summary>Settled: something was reconciled or relinked.</summary>
    public const string Applied = "applied";

    /// <summary>Settled: nothing of the bridge's was concerned (no linked customer, no link to move).</summary>
    public const string Skipped = "skipped";

    /// <summary>Settled: not an event the bridge acts on, or no usable profile id.</summary>
    public const string Ignored = "ignored";
}
