using Refit;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Omneo admin API profiles, at <c>{BaseUrl}/api/v3</c>, with the bridge's admin token.</summary>
public interface IOmneoProfilesApi
{
    /// <summary>One profile by an identity (<c>type</c> = handle) or by <c>profile_id</c>; 404 when none.</summary>
    [Post("/profiles/search-id")]
    Task<IApiResponse<OmneoEnvelope<OmneoProfile>>> SearchByIdAsync([Body] OmneoSearchIdRequest request, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);

    [Get("/profiles")]
    Task<IApiResponse<OmneoPage<OmneoProfile>>> FindByEmailAsync([AliasAs("filter[email]")] string email, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    [Get("/profiles/{profileId}")]
    Task<IApiResponse<OmneoEnvelope<OmneoProfile>>> GetAsync(string profileId, CancellationToken cancellationToken);

    [Post("/profiles")]
    Task<IApiResponse<OmneoEnvelope<OmneoProfile>>> CreateAsync([Body] OmneoProfileInput profile, CancellationToken cancellationToken);

    [Put("/profiles/{profileId}")]
    Task<IApiResponse<OmneoEnvelope<OmneoProfile>>> UpdateAsync(string profileId, [Body] OmneoProfileInput profile, CancellationToken cancellationToken);

    [Post("/profiles/{profileId}/identities")]
    Task<IApiResponse<OmneoEnvelope<OmneoIdentity>>> AddIdentityAsync(string profileId, [Body] OmneoIdentityInput identity, CancellationToken cancellationToken);

    [Post("/profiles/merge")]
    Task<IApiResponse<OmneoEnvelope<OmneoProfile>>> MergeAsync([Body] OmneoMergeRequest request, CancellationToken cancellationToken);
}
