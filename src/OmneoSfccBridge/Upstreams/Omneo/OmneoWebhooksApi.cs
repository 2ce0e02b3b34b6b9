using System.Globalization;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>
/// Omneo admin API webhook subscriptions, at <c>{BaseUrl}/api/v3/webhooks</c>, with the bridge's admin token: a typed
/// <see cref="HttpClient"/> like <see cref="OmneoProfilesApi"/>. Each method returns the answer for
/// <see cref="OmneoClient"/> to read; the webhook id must already be checked with <see cref="UpstreamIdentifier"/>.
/// </summary>
internal sealed class OmneoWebhooksApi(HttpClient http)
{
    public Task<HttpResponseMessage> ListAsync(int page, int perPage, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"webhooks?page={page}&per_page={perPage}"), "ListAsync", "/webhooks"), cancellationToken);

    public Task<HttpResponseMessage> CreateAsync(OmneoWebhookInput webhook, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Post, "webhooks", "CreateAsync", "/webhooks").WithJson(webhook, OmneoJson.Default.OmneoWebhookInput), cancellationToken);

    public Task<HttpResponseMessage> UpdateAsync(string webhookId, OmneoWebhookInput webhook, CancellationToken cancellationToken) =>
        SendAsync(UpstreamRequests.Create(HttpMethod.Put, $"webhooks/{Uri.EscapeDataString(webhookId)}", "UpdateAsync", "/webhooks/{webhookId}").WithJson(webhook, OmneoJson.Default.OmneoWebhookInput), cancellationToken);

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        http.SendUpstreamAsync(request, OmneoClient.Name, cancellationToken);
}
