using System.Globalization;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>
/// Omneo admin API profiles, at <c>{BaseUrl}/api/v3</c>, with the bridge's admin token. A new customer of a backfill
/// costs four of these calls (search by identity, search by email, create, add the identity), so, like
/// <see cref="OmneoIdApi"/>, this is a plain typed <see cref="HttpClient"/> with source-generated JSON
/// (<see cref="UpstreamRequests"/>). Each method sends one request and returns the answer for <see cref="OmneoClient"/>
/// to read; transport failures, 429 and 5xx arrive as <see cref="UpstreamException"/> from the handlers. Only the
/// search by identity is a POST that may be sent again; creating a profile, adding an identity and merging are not retried.
/// Path arguments must already be checked with <see cref="UpstreamIdentifier"/>.
/// </summary>
internal sealed class OmneoProfilesApi(HttpClient http)
{
    /// <summary>One profile by an identity (<c>type</c> = handle) or by <c>profile_id</c>; 404 when none.</summary>
    public Task<HttpResponseMessage> SearchByIdAsync(OmneoSearchIdRequest body, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Post, "profiles/search-id", "SearchByIdAsync", "/profiles/search-id", retrySafe: true).WithJson(body, OmneoJson.Default.OmneoSearchIdRequest), cancellationToken);

    public Task<HttpResponseMessage> FindByEmailAsync(string email, int perPage, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Get, $"profiles?filter%5Bemail%5D={Uri.EscapeDataString(email)}&per_page={perPage.ToString(CultureInfo.InvariantCulture)}", "FindByEmailAsync", "/profiles"), cancellationToken);

    public Task<HttpResponseMessage> GetAsync(string profileId, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Get, $"profiles/{Uri.EscapeDataString(profileId)}", "GetAsync", "/profiles/{profileId}"), cancellationToken);

    public Task<HttpResponseMessage> CreateAsync(OmneoProfileInput profile, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Post, "profiles", "CreateAsync", "/profiles").WithJson(profile, OmneoJson.Default.OmneoProfileInput), cancellationToken);

    public Task<HttpResponseMessage> UpdateAsync(string profileId, OmneoProfileInput profile, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Put, $"profiles/{Uri.EscapeDataString(profileId)}", "UpdateAsync", "/profiles/{profileId}").WithJson(profile, OmneoJson.Default.OmneoProfileInput), cancellationToken);

    public Task<HttpResponseMessage> AddIdentityAsync(string profileId, OmneoIdentityInput identity, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Post, $"profiles/{Uri.EscapeDataString(profileId)}/identities", "AddIdentityAsync", "/profiles/{profileId}/identities").WithJson(identity, OmneoJson.Default.OmneoIdentityInput), cancellationToken);

    public Task<HttpResponseMessage> MergeAsync(OmneoMergeRequest body, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Post, "profiles/merge", "MergeAsync", "/profiles/merge").WithJson(body, OmneoJson.Default.OmneoMergeRequest), cancellationToken);

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        http.SendUpstreamAsync(request, OmneoClient.Name, cancellationToken);
}
