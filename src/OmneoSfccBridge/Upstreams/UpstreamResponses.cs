using Refit;

namespace OmneoSfccBridge.Upstreams;

internal static class UpstreamResponses
{
    /// <summary>
    /// Awaits a Refit call and surfaces a transport failure. Refit folds exceptions thrown while sending (our
    /// <see cref="UpstreamException"/> among them) into <see cref="IApiResponse.Error"/>; they are thrown again here,
    /// so only real HTTP answers reach the caller.
    /// </summary>
    public static async Task<T> Checked<T>(this Task<T> call, string upstream)
        where T : IApiResponse
    {
        var response = await call;
        if (response.Error is null || response.Error is ApiException)
        {
            return response;
        }

        response.Dispose();
        throw response.Error.InnerException switch
        {
            UpstreamException upstreamException => upstreamException,
            OperationCanceledException canceled => canceled,
            var other => RequestFailed(upstream, other ?? response.Error),
        };
    }

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

    /// <summary>As <see cref="Unexpected(IApiResponse, string)"/>, for a plain <see cref="HttpClient"/>'s answer.</summary>
    public static UpstreamException Unexpected(this HttpResponseMessage response, string upstream) =>
        new(upstream, UpstreamFailure.BadResponse, $"unexpected status {(int)response.StatusCode}");

    /// <summary>A send that failed without an answer, in a way the pipeline's handlers did not translate: unavailable, retry in 5 s.</summary>
    public static UpstreamException RequestFailed(string upstream, Exception cause) =>
        new(upstream, UpstreamFailure.Unavailable, "request failed", TimeSpan.FromSeconds(5), cause);
}
