namespace OmneoSfccBridge.Upstreams;

/// <summary>An upstream (SFCC or Omneo) failed in a way the client cannot fix; translated to ProblemDetails in one place.</summary>
public sealed class UpstreamException(string upstream, UpstreamFailure failure, string reason, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"{upstream}: {failure}: {reason}", inner)
{
    public string Upstream { get; } = upstream;

    public UpstreamFailure Failure { get; } = failure;

    /// <summary>A short technical reason for logs; never shown to clients and never holding upstream bodies.</summary>
    public string Reason { get; } = reason;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
