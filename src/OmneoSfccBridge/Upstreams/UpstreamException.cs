namespace OmneoSfccBridge.Upstreams;

/// <summary>What went wrong with an upstream call, in the terms the bridge answers its own clients with.</summary>
public enum UpstreamFailure
{
    /// <summary>Unreachable, refusing, or shedding load: 503 with Retry-After.</summary>
    Unavailable,

    /// <summary>Throttling us (429): 503 with Retry-After.</summary>
    Throttled,

    /// <summary>Did not answer in time: 504.</summary>
    Timeout,

    /// <summary>Answered with something unusable (5xx error, garbage, an unexpected status): 502.</summary>
    BadResponse,
}

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
