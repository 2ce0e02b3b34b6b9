using Refit;

namespace OmneoSfccBridge.Upstreams.Omneo;

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
