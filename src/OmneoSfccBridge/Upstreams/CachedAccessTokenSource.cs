namespace OmneoSfccBridge.Upstreams;

/// <summary>
/// Fetches a token once, shares it across all requests until shortly before it expires, and lets a single caller
/// refresh it while the others wait: the token endpoint is never called per request.
/// </summary>
internal abstract class CachedAccessTokenSource(TimeProvider time) : IAccessTokenSource
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedToken? _current;

    public bool CanRefresh => true;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } fresh && time.GetUtcNow() < fresh.RefreshAt)
        {
            return fresh.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && time.GetUtcNow() < again.RefreshAt)
            {
                return again.Token;
            }

            var (token, lifetime) = await FetchAsync(cancellationToken);
            var margin = TimeSpan.FromSeconds(Math.Min(60, lifetime.TotalSeconds / 10));
            _current = new CachedToken(token, time.GetUtcNow() + lifetime - margin);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate(string token)
    {
        var current = _current;
        if (current is not null && current.Token == token)
        {
            Interlocked.CompareExchange(ref _current, null, current);
        }
    }

    /// <summary>Asks the token endpoint; returns the token and how long it lives.</summary>
    protected abstract Task<(string Token, TimeSpan Lifetime)> FetchAsync(CancellationToken cancellationToken);

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);
}
