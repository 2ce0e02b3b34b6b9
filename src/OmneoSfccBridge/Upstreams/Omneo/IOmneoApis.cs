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

/// <summary>Omneo admin API webhook subscriptions, at <c>{BaseUrl}/api/v3/webhooks</c>, with the bridge's admin token.</summary>
public interface IOmneoWebhooksApi
{
    [Get("/webhooks")]
    Task<IApiResponse<OmneoPage<OmneoWebhook>>> ListAsync([AliasAs("page")] int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    [Post("/webhooks")]
    Task<IApiResponse<OmneoEnvelope<OmneoWebhook>>> CreateAsync([Body] OmneoWebhookInput webhook, CancellationToken cancellationToken);

    [Put("/webhooks/{webhookId}")]
    Task<IApiResponse<OmneoEnvelope<OmneoWebhook>>> UpdateAsync(string webhookId, [Body] OmneoWebhookInput webhook, CancellationToken cancellationToken);
}

/// <summary>Omneo ID API, at <c>{BaseUrl}/id/api/v1</c>, with the bridge's admin token.</summary>
public interface IOmneoIdApi
{
    /// <summary>Mints a customer token; minting twice has no side effect, so it may be retried.</summary>
    [Post("/auth/token")]
    Task<IApiResponse<OmneoEnvelope<OmneoCustomerToken>>> IssueTokenAsync([Body] OmneoCustomerTokenRequest request, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);
}

/// <summary>Omneo OAuth, at <c>{BaseUrl}/api/v3/auth/token</c>.</summary>
public interface IOmneoAuthApi
{
    [Post("/auth/token")]
    Task<IApiResponse<OmneoAccessToken>> RequestTokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Property(UpstreamHttpExtensions.RetrySafe)] bool retrySafe, CancellationToken cancellationToken);
}
