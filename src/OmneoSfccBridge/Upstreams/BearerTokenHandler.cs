using System.Net;
using System.Net.Http.Headers;

namespace OmneoSfccBridge.Upstreams;

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
