using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>
/// What the bridge asks of Omneo, in its own terms. Says what Omneo's 4xx answers mean; transport failures, 429 and
/// 5xx are already <see cref="UpstreamException"/>s by the time they get here.
/// </summary>
internal sealed class OmneoClient(OmneoProfilesApi profiles, OmneoIdApi id, OmneoWebhooksApi webhooks, IOptions<OmneoOptions> options)
{
    public const string Name = "Omneo";

    /// <summary>A customer token for the profile, an anonymous one when <paramref name="profileId"/> is null; null when Omneo has no such profile.</summary>
    public async Task<OmneoToken?> IssueCustomerTokenAsync(string? profileId, CancellationToken cancellationToken)
    {
        var request = new OmneoCustomerTokenRequest(profileId is null ? "" : PathSafe(profileId, "profile id"));
        using var response = await id.IssueTokenAsync(request, cancellationToken);
        if (profileId is not null && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw response.Unexpected(Name);
        }

        var body = await OmneoIdApi.ReadTokenAsync(response, cancellationToken);
        // An exp outside what a date can hold is an unusable answer (502), never an overflow (500).
        return body.Data is { Token: { Length: > 0 } token, Exp: { } exp } && exp > 0 && exp <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? new OmneoToken(token, DateTimeOffset.FromUnixTimeSeconds(exp))
            : throw new UpstreamException(Name, UpstreamFailure.BadResponse, "token answer without a usable data.token and data.exp");
    }

    /// <summary>The profile holding the identity handle + identifier, or null.</summary>
    public async Task<OmneoProfile?> FindByIdentityAsync(string identifier, CancellationToken cancellationToken)
    {
        using var response = await profiles.SearchByIdAsync(new OmneoSearchIdRequest(options.Value.IdentityHandle, PathSafe(identifier, "identity identifier")), cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await RequireProfileAsync(response, cancellationToken);
    }

    /// <summary>Profiles whose email equals <paramref name="email"/> (case-insensitively; Omneo's filter may match more).</summary>
    public async Task<IReadOnlyList<OmneoProfile>> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        using var response = await profiles.FindByEmailAsync(email, perPage: 50, cancellationToken);
        var page = await response.RequireJsonAsync(OmneoJson.Default.OmneoPageOmneoProfile, Name, cancellationToken);
        return [.. page.Data.Where(p => !string.IsNullOrEmpty(p.Id) && string.Equals(p.Email?.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))];
    }

    public async Task<OmneoProfile?> GetProfileAsync(string profileId, CancellationToken cancellationToken)
    {
        using var response = await profiles.GetAsync(PathSafe(profileId, "profile id"), cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await RequireProfileAsync(response, cancellationToken);
    }

    /// <summary>Creates a profile; a 422 (e.g. the email is taken) comes back as the validation errors.</summary>
    public async Task<(OmneoProfile? Profile, OmneoValidationErrors? Rejected)> CreateProfileAsync(OmneoProfileInput input, CancellationToken cancellationToken)
    {
        using var response = await profiles.CreateAsync(input, cancellationToken);
        return response.StatusCode == HttpStatusCode.UnprocessableEntity
            ? (null, await ValidationErrorsOfAsync(response, cancellationToken))
            : (await RequireProfileAsync(response, cancellationToken), null);
    }

    /// <summary>Updates a profile; a 422 comes back as the validation errors, a missing profile as <c>NotFound</c>.</summary>
    public async Task<(OmneoProfile? Profile, OmneoValidationErrors? Rejected, bool NotFound)> UpdateProfileAsync(string profileId, OmneoProfileInput input, CancellationToken cancellationToken)
    {
        using var response = await profiles.UpdateAsync(PathSafe(profileId, "profile id"), input, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => (null, null, true),
            HttpStatusCode.UnprocessableEntity => (null, await ValidationErrorsOfAsync(response, cancellationToken), false),
            _ => (await RequireProfileAsync(response, cancellationToken), null, false),
        };
    }

    /// <summary>Adds the SFCC identity to a profile; false when Omneo refuses it (already taken).</summary>
    public async Task<bool> AddIdentityAsync(string profileId, string identifier, CancellationToken cancellationToken)
    {
        var identity = new OmneoIdentityInput(options.Value.IdentityHandle, PathSafe(identifier, "identity identifier"));
        using var response = await profiles.AddIdentityAsync(PathSafe(profileId, "profile id"), identity, cancellationToken);
        if (response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict)
        {
            return false;
        }

        _ = await response.RequireJsonAsync(OmneoJson.Default.OmneoEnvelopeOmneoIdentity, Name, cancellationToken);
        return true;
    }

    /// <summary>Merges <paramref name="sourceProfileId"/> into <paramref name="destinationProfileId"/>.</summary>
    public async Task<OmneoProfile> MergeAsync(string sourceProfileId, string destinationProfileId, CancellationToken cancellationToken)
    {
        var request = new OmneoMergeRequest(PathSafe(sourceProfileId, "profile id"), PathSafe(destinationProfileId, "profile id"));
        using var response = await profiles.MergeAsync(request, cancellationToken);
        return await RequireProfileAsync(response, cancellationToken);
    }

    /// <summary>Every webhook subscription of the tenant, all pages.</summary>
    public async Task<IReadOnlyList<OmneoWebhook>> ListWebhooksAsync(CancellationToken cancellationToken)
    {
        var all = new List<OmneoWebhook>();
        for (var page = 1; page <= 100; page++)
        {
            using var response = await webhooks.ListAsync(page, perPage: 100, cancellationToken);
            var body = await response.RequireJsonAsync(OmneoJson.Default.OmneoPageOmneoWebhook, Name, cancellationToken);
            all.AddRange(body.Data);
            if (body.Meta is null || body.Meta.CurrentPage >= body.Meta.LastPage || body.Data.Count == 0)
            {
                break;
            }
        }

        return all;
    }

    /// <summary>Creates a webhook subscription, or updates the one with <paramref name="webhookId"/>; a 422 (e.g. an event name the tenant does not know) comes back as the validation errors.</summary>
    public async Task<(OmneoWebhook? Webhook, OmneoValidationErrors? Rejected)> SaveWebhookAsync(string? webhookId, OmneoWebhookInput input, CancellationToken cancellationToken)
    {
        using var response = webhookId is null
            ? await webhooks.CreateAsync(input, cancellationToken)
            : await webhooks.UpdateAsync(PathSafe(webhookId, "webhook id"), input, cancellationToken);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            return (null, await ValidationErrorsOfAsync(response, cancellationToken));
        }

        return (await response.RequireJsonAsync(OmneoJson.Default.OmneoEnvelopeOmneoWebhook, Name, cancellationToken)).Data is { Id: { Length: > 0 } } webhook
            ? (webhook, null)
            : throw new UpstreamException(Name, UpstreamFailure.BadResponse, "webhook answer without data.id");
    }

    /// <summary>
    /// The backstop behind every boundary check: an identifier that could walk a path (<c>..</c>, <c>a/b</c>) never goes
    /// into a path or a lookup. Client input was refused with a 4xx long before; what gets here came from an upstream
    /// answer or a stored link, so it is a bad answer. The value itself is never put into the reason (it reaches logs).
    /// </summary>
    private static string PathSafe(string? value, string what) =>
        UpstreamIdentifier.IsValid(value) ? value : throw new UpstreamException(Name, UpstreamFailure.BadResponse, $"refused to put an invalid {what} into a request");

    private static async Task<OmneoProfile> RequireProfileAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await response.RequireJsonAsync(OmneoJson.Default.OmneoEnvelopeOmneoProfile, Name, cancellationToken)).Data is { Id: { Length: > 0 } } profile
            ? profile
            : throw new UpstreamException(Name, UpstreamFailure.BadResponse, "profile answer without data.id");

    /// <summary>A 422's body; empty when it is not of that shape or cannot be read (as when Refit read it).</summary>
    private static async Task<OmneoValidationErrors> ValidationErrorsOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(stream, OmneoJson.Default.OmneoValidationErrors, cancellationToken) ?? new OmneoValidationErrors();
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException or NotSupportedException)
        {
            return new OmneoValidationErrors();
        }
    }
}
