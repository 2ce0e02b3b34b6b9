using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Admin;
using OmneoSfccBridge.Upstreams.Omneo;

namespace OmneoSfccBridge.Webhooks;

/// <summary>
/// Subscribes the bridge to Omneo's profile events: for each of <see cref="OmneoOptions.WebhookTriggers"/>, one
/// active webhook to <see cref="OmneoOptions.WebhookUrl"/> under <see cref="OmneoOptions.WebhookNamespace"/>, the
/// namespace of the bridge's own token, so Omneo does not send the bridge its own writes back. Safe to repeat: an
/// existing subscription to the same URL is kept or corrected, never doubled; other integrations' webhooks are left alone.
/// </summary>
internal static class OmneoWebhookSubscriptions
{
    public static WebApplication MapOmneoWebhookSubscriptions(this WebApplication app)
    {
        app.MapPost("/admin/omneo/webhooks", SubscribeAsync).WithName("SubscribeOmneoWebhooks").WithTags("Admin")
            .AddEndpointFilter<AdminKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<Results<Ok<WebhookSubscriptions>, ProblemHttpResult>> SubscribeAsync(
        OmneoClient omneo,
        IOptions<OmneoOptions> options,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.WebhookUrl is null)
        {
            return NotReady("Omneo__WebhookUrl is not configured: set it to the address at which Omneo reaches this bridge's /webhooks/omneo.");
        }

        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            return NotReady("Omneo__WebhookSecret is not configured: without it the bridge refuses every delivery, so subscribing would only fill Omneo's retry queue.");
        }

        var url = settings.WebhookUrl.AbsoluteUri;
        var existing = await omneo.ListWebhooksAsync(cancellationToken);
        var results = new List<WebhookSubscription>();
        foreach (var trigger in settings.WebhookTriggerList)
        {
            var wanted = new OmneoWebhookInput(trigger, url, settings.WebhookNamespace, IsActive: true);
            var current = existing.FirstOrDefault(w => w.Trigger == trigger && w.Url == url);
            if (current is not null && current.Namespace == wanted.Namespace && current.IsActive != false)
            {
                results.Add(new WebhookSubscription(trigger, current.Id!, "unchanged"));
                continue;
            }

            var (saved, rejected) = await omneo.SaveWebhookAsync(current?.Id, wanted, cancellationToken);
            if (rejected is not null || saved is null)
            {
                // The configuration names something Omneo refuses: say what, and what was subscribed before it.
                var done = results.Count == 0 ? "nothing" : string.Join(", ", results.Select(r => $"{r.Trigger} ({r.Action})"));
                return NotReady($"Omneo refused the subscription to '{trigger}' ({rejected}); check Omneo__WebhookTriggers. Subscribed before it: {done}.");
            }

            results.Add(new WebhookSubscription(trigger, saved.Id!, current is null ? "created" : "updated"));
        }

        return TypedResults.Ok(new WebhookSubscriptions(url, settings.WebhookNamespace, results));
    }

    private static ProblemHttpResult NotReady(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Webhooks cannot be subscribed yet");
}
