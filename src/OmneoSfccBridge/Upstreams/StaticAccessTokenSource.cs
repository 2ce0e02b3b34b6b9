namespace OmneoSfccBridge.Upstreams;

/// <summary>A fixed, pre-generated token.</summary>
internal sealed class StaticAccessTokenSource(string token) : IAccessTokenSource
{
    public bool CanRefresh => false;

    public ValueTask<string> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);

    public void Invalidate(string token)
    {
    }
}
