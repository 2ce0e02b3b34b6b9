using Refit;

namespace OmneoSfccBridge.Upstreams;

internal static class UpstreamResponses
{
    /// <summary>The content of a successful answer, or a 502-class failure when the answer is not usable.</summary>
    public static T Require<T>(this IApiResponse<T> response, string upstream)
        where T : class
    {
        if (!response.IsSuccessStatusCode)
        {
            throw Unexpected(response, upstream);
        }

        return response.Error is null && response.Content is not null
            ? response.Content
            : throw new UpstreamException(upstream, UpstreamFailure.BadResponse, "unreadable body", inner: response.Error);
    }

    /// <summary>A status the caller did not expect from this endpoint.</summary>
    public static UpstreamException Unexpected(this IApiResponse response, string upstream) =>
        new(upstream, UpstreamFailure.BadResponse, $"unexpected status {(int?)response.StatusCode}", inner: response.Error);
}
