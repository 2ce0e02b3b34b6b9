namespace OmneoSfccBridge.Upstreams;

/// <summary>Where a client's bearer token comes from.</summary>
internal interface IAccessTokenSource
{
    /// <summary>Whether a 401 can be cured by fetching a new token (not so for a pre-generated one).</summary>
    bool CanRefresh { get; }

    ValueTask<string> GetAsync(CancellationToken cancellationToken);

    /// <summary>Drops <paramref name="token"/> if it is still the cached one, so the next call fetches anew.</summary>
    void Invalidate(string token);
}
