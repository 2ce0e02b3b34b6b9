using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// Applies one stored Omneo webhook delivery. Safe to run twice: a delivery is settled once, and a profile state the
/// bridge already holds (its own echo, or a repeat) is a no-op.
/// <list type="bullet">
/// <item><c>profile.updated</c> / <c>profile.created</c>: each linked SFCC customer is reconciled (Data API PATCH of the changed mapped fields).</item>
/// <item><c>profile.merged</c>: links to the merged-away profile (<c>source_profile_id</c> / <c>merged_profile_ids</c> when sent) and to every
/// <c>sfcc</c> identity the surviving profile holds point to the surviving profile. Nothing is written to SFCC.</item>
/// <item><c>profile.deleted</c>: the links to the profile are removed. The SFCC customer is neither deleted nor changed; its next
/// login or change links it again (to a profile with its email or identity, or a new one).</item>
/// </list>
/// Deliveries for profiles with no link are recorded as <c>skipped</c>; other events as <c>ignored</c>.
/// </summary>
public sealed partial class OmneoWebhookJob
{
    private readonly SyncStore _store;
    private readonly CustomerSync _sync;
    private readonly CustomerLinkStore _links;
    private readonly ProfileLinker _linker;
    private readonly OmneoClient _omneo;
    private readonly AuditLog _audit;
    private readonly string _listId;
    private readonly string _identityHandle;
    private readonly ILogger<OmneoWebhookJob> _logger;

    internal OmneoWebhookJob(SyncStore store, CustomerSync sync, CustomerLinkStore links, ProfileLinker linker, OmneoClient omneo, AuditLog audit, IOptions<SfccOptions> sfcc, IOptions<OmneoOptions> omneoOptions, ILogger<OmneoWebhookJob> logger)
    {
        _store = store;
        _sync = sync;
        _links = links;
        _linker = linker;
        _omneo = omneo;
        _audit = audit;
        _listId = sfcc.Value.CustomerListId;
        _identityHandle = omneoOptions.Value.IdentityHandle;
        _logger = logger;
    }

    [AutomaticRetry(Attempts = 10)]
    [RetryAfterHonoured]
    [JobDisplayName("Apply Omneo webhook delivery {0}")]
    public async Task RunAsync(long eventId, CancellationToken cancellationToken)
    {
        var delivery = await _store.GetWebhookAsync(eventId, cancellationToken);
        if (delivery is null || delivery.Status != "pending")
        {
            return;
        }

        if (string.IsNullOrEmpty(delivery.ProfileId))
        {
            await _store.SettleWebhookAsync(eventId, "ignored", "no profile id in the body", cancellationToken);
            return;
        }

        var (status, detail) = delivery.Event switch
        {
            "profile.updated" or "profile.created" => await UpdatedAsync(delivery.ProfileId, cancellationToken),
            "profile.merged" => await MergedAsync(delivery, cancellationToken),
            "profile.deleted" => await DeletedAsync(delivery.ProfileId, cancellationToken),
            _ => ("ignored", "event not handled"),
        };
        await _store.SettleWebhookAsync(eventId, status, detail, cancellationToken);
        LogSettled(_logger, eventId, delivery.Event, status, detail);
    }

    private async Task<(string, string)> UpdatedAsync(string profileId, CancellationToken cancellationToken)
    {
        var linked = await _links.FindByProfileAsync(profileId, cancellationToken);
        if (linked.Count == 0)
        {
            return ("skipped", "no linked SFCC customer");
        }

        var outcomes = new List<string>();
        foreach (var link in linked)
        {
            outcomes.Add($"{link.CustomerNo}:{(await _sync.PullAsync(link, cancellationToken)).ToString().ToLowerInvariant()}");
        }

        return ("applied", string.Join(",", outcomes));
    }

    private async Task<(string, string)> MergedAsync(WebhookEvent delivery, CancellationToken cancellationToken)
    {
        var survivor = delivery.ProfileId!;
        var customerNos = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in SourceProfileIds(delivery.Body).Where(s => s != survivor))
        {
            foreach (var link in await _links.FindByProfileAsync(source, cancellationToken))
            {
                customerNos.Add(link.CustomerNo);
            }
        }

        var profile = await _omneo.GetProfileAsync(survivor, cancellationToken);
        foreach (var identity in profile?.Identities ?? [])
        {
            if (identity.Handle == _identityHandle && identity.IsActive != false && !string.IsNullOrEmpty(identity.Identifier))
            {
                customerNos.Add(identity.Identifier);
            }
        }

        var moved = new List<string>();
        foreach (var customerNo in customerNos.Order(StringComparer.Ordinal))
        {
            await using var held = await LockAsync(customerNo, cancellationToken);
            var link = await _links.FindAsync(_listId, customerNo, cancellationToken);
            if (link?.ProfileId == survivor)
            {
                continue;
            }

            await _links.UpsertAsync(_listId, customerNo, null, survivor, "merge", cancellationToken);
            await _audit.RecordAsync("link.merged", _listId, customerNo, survivor, $"Omneo merged {link?.ProfileId ?? "an unlinked profile"} into {survivor}", cancellationToken);
            moved.Add(customerNo);
        }

        return (moved.Count > 0 ? "applied" : "skipped", moved.Count > 0 ? "relinked " + string.Join(",", moved) : "no linked SFCC customer");
    }

    private async Task<(string, string)> DeletedAsync(string profileId, CancellationToken cancellationToken)
    {
        var linked = await _links.FindByProfileAsync(profileId, cancellationToken);
        foreach (var link in linked)
        {
            await using var held = await LockAsync(link.CustomerNo, cancellationToken);
            await _linker.ForgetAsync(link, "profile deleted in Omneo", cancellationToken);
        }

        return linked.Count == 0 ? ("skipped", "no linked SFCC customer") : ("applied", "unlinked " + string.Join(",", linked.Select(l => l.CustomerNo)));
    }

    private Task<IAsyncDisposable> LockAsync(string customerNo, CancellationToken cancellationToken) =>
        _sync.LockAsync(customerNo, cancellationToken);

    private static IEnumerable<string> SourceProfileIds(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var scopes = new[] { root }.Concat(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) ? [data] : []).ToList();
        var ids = new List<string>();
        foreach (var scope in scopes.Where(s => s.ValueKind == JsonValueKind.Object))
        {
            foreach (var name in new[] { "source_profile_id", "merged_profile_id", "merged_profile_ids" })
            {
                if (!scope.TryGetProperty(name, out var value))
                {
                    continue;
                }

                var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
                ids.AddRange(items.Where(i => i.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    .Select(i => i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText()));
            }
        }

        return ids;
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Omneo webhook delivery {EventId} ({Event}): {Status} ({Detail})")]
    private static partial void LogSettled(ILogger logger, long eventId, string @event, string status, string detail);
}
