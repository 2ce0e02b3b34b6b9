namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>What an <c>Idempotency-Key</c> says about a request.</summary>
internal abstract record IdempotencyClaim
{
    /// <summary>The key is this request's: go on, then <see cref="IdempotencyStore.CompleteAsync"/> or <see cref="IdempotencyStore.ReleaseAsync"/>.</summary>
    public sealed record Claimed : IdempotencyClaim;

    /// <summary>The same key and body already succeeded: answer the same.</summary>
    public sealed record Replay(CreateResponse Response) : IdempotencyClaim;

    /// <summary>The key was used with another body.</summary>
    public sealed record Mismatch : IdempotencyClaim;
}
