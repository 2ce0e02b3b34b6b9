using System.Net;
using System.Net.Http.Headers;

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

/// <summary>A fixed, pre-generated token.</summary>
internal sealed class StaticAccessTokenSource(string token) : IAccessTokenSource
{
    public bool CanRefresh => false;

    public ValueTask<string> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);

    public void Invalidate(string token)
    {
    }
}

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

/// <summary>Adds the bearer token; on a 401 with a refreshable source, fetches a new token and sends once more.</summary>
internal sealed class BearerTokenHandler(IAccessTokenSource source) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null && source.CanRefresh)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var token = await source.GetAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !source.CanRefresh)
        {
            return response;
        }

        response.Dispose();
        source.Invalidate(token);
        using var again = await CloneAsync(request, cancellationToken);
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await source.GetAsync(cancellationToken));
        return await base.SendAsync(again, cancellationToken);
    }

    private static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var option in request.Options)
        {
            clone.Options.Set(new HttpRequestOptionsKey<object?>(option.Key), option.Value);
        }

        if (request.Content is not null)
        {
            clone.Content = new ByteArrayContent(await request.Content.ReadAsByteArrayAsync(cancellationToken));
            foreach (var header in request.Content.Headers)
            {
                clone.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return clone;
    }
}
