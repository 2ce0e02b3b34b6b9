namespace OmneoSfccBridge.Storage;

/// <summary>
/// A per-customer lock was not free in time: another request for the same customer is still running. The message
/// never names the key (registration keys hold the login and email).
/// </summary>
public sealed class CustomerLockTimeoutException(TimeSpan waited)
    : TimeoutException($"A customer lock was not free within {waited.TotalSeconds:0} s.")
{
    public TimeSpan Waited { get; } = waited;
}
