using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Upstreams.Omneo;

namespace OmneoSfccBridge.Sandbox;

/// <summary>
/// Sandbox only: look at and change the simulated SFCC and Omneo, so the sync can be watched end to end. A change in
/// SFCC reaches Omneo with the next delta (or <c>POST /admin/sync/sfcc-to-omneo</c>); a change in Omneo is sent to
/// the bridge as Omneo would, as a signed <c>profile.updated</c> webhook.
/// </summary>
internal static class SandboxSyncEndpoints
{
    public const string WebhookClient = "sandbox-webhooks";

    /// <summary>The header Omneo names a webhook's event in (as Omneo sends it, not as the bridge happens to read it).</summary>
    private const string EventHeader = "X-Omneo-Event";

    public static void MapSandboxSyncEndpoints(this IEndpointRouteBuilder app)
    {
        var sandbox = app.MapGroup("/sandbox").WithTags("Sandbox").ExcludeFromDescription();
        sandbox.MapGet("/sfcc/customers/{customerNo}", GetSfccCustomer);
        sandbox.MapPatch("/sfcc/customers/{customerNo}", ChangeSfccCustomer);
        sandbox.MapGet("/omneo/profiles/{profileId}", GetOmneoProfile);
        sandbox.MapPatch("/omneo/profiles/{profileId}", ChangeOmneoProfileAsync);
    }

    internal static Results<Ok<object>, ProblemHttpResult> GetSfccCustomer(string customerNo, SandboxLandscape landscape) =>
        landscape.Sfcc.FindByNumber(customerNo) is { } customer
            ? TypedResults.Ok(SandboxSfcc.Document(customer))
            : NotFound($"The simulated SFCC has no customer {customerNo}.");

    /// <summary>Edits the customer as a storefront would (first_name, last_name, email, phone_mobile, birthday, c_* attributes such as c_emailVerified).</summary>
    internal static Results<Ok<object>, ProblemHttpResult> ChangeSfccCustomer(string customerNo, JsonElement changes, SandboxLandscape landscape)
    {
        if (landscape.Sfcc.FindByNumber(customerNo) is null)
        {
            return NotFound($"The simulated SFCC has no customer {customerNo}.");
        }

        landscape.Sfcc.Update(customerNo, customer =>
        {
            customer.FirstName = Text(changes, "first_name") ?? customer.FirstName;
            customer.LastName = Text(changes, "last_name") ?? customer.LastName;
            customer.Email = Text(changes, "email") ?? customer.Email;
            customer.PhoneMobile = Text(changes, "phone_mobile") ?? customer.PhoneMobile;
            customer.Birthday = Text(changes, "birthday") ?? customer.Birthday;
            customer.ApplyCustom(changes);
        });
        return TypedResults.Ok(SandboxSfcc.Document(landscape.Sfcc.FindByNumber(customerNo)!));
    }

    internal static Results<Ok<object>, ProblemHttpResult> GetOmneoProfile(string profileId, SandboxLandscape landscape) =>
        landscape.Omneo.Find(profileId) is { } profile
            ? TypedResults.Ok(SandboxOmneo.Document(profile))
            : NotFound($"The simulated Omneo has no profile {profileId}.");

    /// <summary>Edits the profile as CX Manager would, then delivers Omneo's signed <c>profile.updated</c> webhook to the bridge.</summary>
    internal static async Task<Results<Ok<SandboxWebhookDelivery>, ProblemHttpResult>> ChangeOmneoProfileAsync(
        string profileId,
        JsonElement changes,
        SandboxLandscape landscape,
        IHttpClientFactory clients,
        IOptions<OmneoOptions> omneo,
        CancellationToken cancellationToken)
    {
        // The bridge's own loopback address, never the request's Host: a caller must not choose where a signed
        // webhook goes.
        var client = clients.CreateClient(WebhookClient);
        if (client.BaseAddress is null)
        {
            return TypedResults.Problem(
                "The sandbox listens on no loopback address, so it cannot deliver the simulated webhook to itself; start it with e.g. --urls http://127.0.0.1:5000.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Sandbox cannot reach itself");
        }

        if (landscape.Omneo.Update(profileId, changes) is not { } profile)
        {
            return NotFound($"The simulated Omneo has no profile {profileId}.");
        }

        var body = JsonSerializer.Serialize(SandboxOmneo.Document(profile));
        var signature = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(omneo.Value.WebhookSecret ?? ""), Encoding.UTF8.GetBytes(body))).ToLowerInvariant();
        using var delivery = new HttpRequestMessage(HttpMethod.Post, "/webhooks/omneo") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        delivery.Headers.Add(EventHeader, "profile.updated");
        delivery.Headers.Add("X-Omneo-Hmac-SHA256", signature);
        using var answer = await client.SendAsync(delivery, cancellationToken);
        return TypedResults.Ok(new SandboxWebhookDelivery(SandboxOmneo.Document(profile), (int)answer.StatusCode));
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not in the sandbox");

    private static string? Text(JsonElement changes, string name) =>
        changes.ValueKind == JsonValueKind.Object && changes.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
