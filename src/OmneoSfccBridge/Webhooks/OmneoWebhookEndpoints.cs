using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Observability;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Omneo;

namespace OmneoSfccBridge.Webhooks;

internal static class OmneoWebhookEndpoints
{
    public const string SignatureHeader = "X-Omneo-Hmac-SHA256";
    public const string EventHeader = "X-Omneo-Event";

    public static WebApplication MapOmneoWebhooks(this WebApplication app)
    {
        app.MapPost("/webhooks/omneo", ReceiveAsync).WithName("OmneoWebhook").WithTags("Webhooks")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary>
    /// Verifies the signature over the raw body before reading anything else, stores the delivery once (keyed by a
    /// hash of the signed body alone, so the unsigned event header cannot make a repeat look new) and answers at once;
    /// <see cref="OmneoWebhookJob"/> treats it as a notification and applies what Omneo holds now. Without a configured
    /// <c>Omneo:WebhookSecret</c> every delivery is refused: an unsigned hook could rewrite SFCC customers.
    /// </summary>
    internal static async Task<Results<Accepted<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request,
        IOptions<OmneoOptions> omneo,
        WebhookEventStore store,
        IBackgroundJobClient jobs,
        BridgeMetrics metrics,
        CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (!SignatureIsValid(body, request.Headers[SignatureHeader], omneo.Value.WebhookSecret))
        {
            metrics.WebhookDelivery("bad_signature");
            return TypedResults.Problem($"The {SignatureHeader} signature is missing or wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Invalid webhook signature");
        }

        JsonElement document;
        try
        {
            document = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            metrics.WebhookDelivery("invalid");
            return TypedResults.Problem("The webhook body is not JSON.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid webhook body");
        }

        var eventName = request.Headers[EventHeader].FirstOrDefault() is { Length: > 0 } header ? header : Text(document, "event") ?? Text(document, "trigger");
        if (string.IsNullOrWhiteSpace(eventName))
        {
            metrics.WebhookDelivery("invalid");
            return TypedResults.Problem($"The event name is missing (header {EventHeader}).", statusCode: StatusCodes.Status400BadRequest, title: "Invalid webhook body");
        }

        var profile = document.ValueKind == JsonValueKind.Object && document.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data : document;
        var profileId = Text(profile, "id");
        var deliveryKey = Convert.ToHexString(SHA256.HashData(body));
        var (stored, inserted) = await store.StoreWebhookAsync(deliveryKey, eventName, profileId, Encoding.UTF8.GetString(body), cancellationToken);
        if (stored.Status == WebhookStatus.Pending)
        {
            // A repeat of a delivery still pending (e.g. the first answer was lost in a crash) queues it again; the job settles it once.
            jobs.Enqueue<OmneoWebhookJob>(job => job.RunAsync(stored.Id, CancellationToken.None));
        }

        metrics.WebhookDelivery(inserted ? "accepted" : "duplicate");
        return TypedResults.Accepted((string?)null, new WebhookReceipt(stored.Id, stored.Event, !inserted));
    }

    internal static bool SignatureIsValid(byte[] body, string? presented, string? secret)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrWhiteSpace(presented) || presented.Length != 64)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(presented.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
