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
