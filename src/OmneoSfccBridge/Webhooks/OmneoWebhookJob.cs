using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Webhooks;

/// <summary>
/// Applies one stored Omneo webhook delivery as a notification, not as data: Omneo signs the body but names the event
/// in an unsigned header, and a signed body can be captured and replayed. So the only thing taken from a delivery is
/// which profile to look at (the id in the signed body, checked by <see cref="UpstreamIdentifier"/>); what is applied
/// is what Omneo answers now. Safe to run twice: a delivery is settled once, and a profile state the bridge already
/// holds (its own echo, or a repeat) is a no-op.
/// <list type="bullet">
/// <item><c>profile.updated</c>, <c>profile.created</c>, <c>profile.deleted</c>: each linked SFCC customer is reconciled
/// with the profile as Omneo holds it now (<see cref="CustomerSync.PullAsync"/>; Data API PATCH of the changed mapped
/// fields). Only when Omneo answers 404 for the profile is the link dropped: a "deleted" that Omneo does not confirm
/// drops nothing, and an older delivery replayed after a newer one cannot roll the customer back.</item>
/// <item><c>profile.merged</c>: the surviving profile (the body's id) is read. A customer is pointed at it when the
/// survivor holds the customer's <c>sfcc</c> identity, or when its link is to a merged-away profile the body names
/// (<c>source_profile_id</c> / <c>merged_profile_ids</c>) and Omneo answers 404 for that profile, and only when no
/// other customer holds or claims the survivor (one profile serves at most one customer; the others' links to
/// merged-away profiles are dropped). Nothing is written to SFCC.</item>
/// </list>
/// Deliveries for profiles with no link are recorded as <c>skipped</c>; other events as <c>ignored</c>.
/// </summary>
internal sealed partial class OmneoWebhookJob
{
    private readonly WebhookEventStore _store;
    private readonly CustomerSync _sync;
    private readonly CustomerLinkStore _links;
    private readonly OmneoClient _omneo;
    private readonly AuditLog _audit;
    private readonly string _listId;
    private readonly string _identityHandle;
    private readonly ILogger<OmneoWebhookJob> _logger;

    public OmneoWebhookJob(WebhookEventStore store, CustomerSync sync, CustomerLinkStore links, OmneoClient omneo, AuditLog audit, IOptions<SfccOptions> sfcc, IOptions<OmneoOptions> omneoOptions, ILogger<OmneoWebhookJob> logger)
    {
        _store = store;
        _sync = sync;
        _links = links;
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
        if (delivery is null || delivery.Status != WebhookStatus.Pending)
        {
            return;
        }

        if (!UpstreamIdentifier.IsValid(delivery.ProfileId))
        {
            await _store.SettleWebhookAsync(eventId, WebhookStatus.Ignored, "no usable profile id in the body", cancellationToken);
            return;
        }

        var (status, detail) = delivery.Event switch
        {
            "profile.updated" or "profile.created" => await ChangedAsync(delivery.ProfileId, cancellationToken),
            "profile.deleted" => await DeletedAsync(delivery.ProfileId, cancellationToken),
            "profile.merged" => await MergedAsync(delivery.ProfileId, delivery.Body, cancellationToken),
            _ => (WebhookStatus.Ignored, "event not handled"),
        };
        await _store.SettleWebhookAsync(eventId, status, detail, cancellationToken);
        LogSettled(_logger, eventId, delivery.Event, status, detail);
    }

    /// <summary>Reconciles every customer linked to the profile with the profile as Omneo holds it now; a profile Omneo answers 404 for is unlinked.</summary>
    private async Task<(string, string)> ChangedAsync(string profileId, CancellationToken cancellationToken) =>
        Settled(await PullLinkedAsync(profileId, cancellationToken));

    /// <summary>
    /// A deletion is Omneo's to confirm: the links are dropped only when Omneo answers 404 for the profile (the header
    /// naming the event is not signed). A live profile is reconciled as for an update instead.
    /// </summary>
    private async Task<(string, string)> DeletedAsync(string profileId, CancellationToken cancellationToken)
    {
        var pulled = await PullLinkedAsync(profileId, cancellationToken);
        var (status, detail) = Settled(pulled);
        return pulled.Count > 0 && !pulled.Any(p => p.Outcome == SyncOutcome.Unlinked)
            ? (status, "not deleted in Omneo, links kept; " + detail)
            : (status, detail);
    }

    /// <summary>What <see cref="CustomerSync.PullAsync"/> did for each customer linked to the profile (none: no link).</summary>
    private async Task<IReadOnlyList<(string CustomerNo, SyncOutcome Outcome)>> PullLinkedAsync(string profileId, CancellationToken cancellationToken)
    {
        var pulled = new List<(string, SyncOutcome)>();
        foreach (var link in await _links.FindByProfileAsync(profileId, cancellationToken))
        {
            pulled.Add((link.CustomerNo, await _sync.PullAsync(link, cancellationToken)));
        }

        return pulled;
    }

    private static (string, string) Settled(IReadOnlyList<(string CustomerNo, SyncOutcome Outcome)> pulled) =>
        pulled.Count == 0
            ? (WebhookStatus.Skipped, "no linked SFCC customer")
            : (WebhookStatus.Applied, string.Join(",", pulled.Select(p => $"{p.CustomerNo}:{p.Outcome.ToString().ToLowerInvariant()}")));

    private async Task<(string, string)> MergedAsync(string survivorId, string body, CancellationToken cancellationToken)
    {
        var survivor = await _omneo.GetProfileAsync(survivorId, cancellationToken);
        if (survivor is null)
        {
            // The body names a survivor Omneo does not have: nothing to move links to; its own links go as for a deletion.
            return await ChangedAsync(survivorId, cancellationToken);
        }

        var heldIdentities = (survivor.Identities ?? [])
            .Where(i => i.Handle == _identityHandle && i.IsActive != false && UpstreamIdentifier.IsValid(i.Identifier))
            .Select(i => i.Identifier!)
            .ToHashSet(StringComparer.Ordinal);
        var customerNos = new SortedSet<string>(heldIdentities, StringComparer.Ordinal);
        var goneSources = new HashSet<string>(StringComparer.Ordinal);
        var liveSources = new List<string>();
        foreach (var source in SourceProfileIds(body).Where(s => s != survivorId && UpstreamIdentifier.IsValid(s)).Distinct(StringComparer.Ordinal))
        {
            var linked = await _links.FindByProfileAsync(source, cancellationToken);
            if (linked.Count == 0)
            {
                continue;
            }

            if (await _omneo.GetProfileAsync(source, cancellationToken) is not null)
            {
                // Omneo still has it: not merged away (a replayed or forged claim); its customers move only if the survivor holds their identity.
                liveSources.Add(source);
                continue;
            }

            goneSources.Add(source);
            customerNos.UnionWith(linked.Select(l => l.CustomerNo));
        }

        // One profile has at most one SFCC customer. The survivor's customer is the one the store links to it already,
        // else the only customer with a claim on it (its identity, or a link to a source Omneo confirms is gone). A merge
        // of several customers' profiles is a decision for support: no one is moved onto a profile that would then
        // serve two customers, and their links to merged-away profiles are dropped (each is linked afresh, to a profile
        // of their own, at their next login or sync).
        var owner = (await _links.FindByProfileAsync(_listId, survivorId, cancellationToken))?.CustomerNo;
        var claimants = customerNos.Where(c => c != owner).ToList();
        var heir = owner is null && heldIdentities.Count <= 1 && claimants.Count == 1 ? claimants[0] : null;
        var moved = new List<string>();
        var dropped = new List<string>();
        foreach (var customerNo in claimants)
        {
            await using var held = await LockAsync(customerNo, cancellationToken);
            var link = await _links.FindAsync(_listId, customerNo, cancellationToken);
            if (link?.ProfileId == survivorId)
            {
                continue;
            }

            // Read again under the lock: the link may have moved since, and only a confirmed move is made.
            if (!heldIdentities.Contains(customerNo) && (link is null || !goneSources.Contains(link.ProfileId)))
            {
                continue;
            }

            if (customerNo == heir && await _links.TryUpsertAsync(_listId, customerNo, null, survivorId, MatchSource.Merge, emailWithheld: false, cancellationToken) is not null)
            {
                await _audit.RecordAsync("link.merged", _listId, customerNo, survivorId, $"Omneo merged {link?.ProfileId ?? "an unlinked profile"} into {survivorId}", cancellationToken);
                moved.Add(customerNo);
            }
            else if (link is not null && goneSources.Contains(link.ProfileId))
            {
                if (await _links.DeleteAsync(_listId, customerNo, link.ProfileId, cancellationToken))
                {
                    await _audit.RecordAsync("link.dropped", _listId, customerNo, link.ProfileId, $"Omneo merged {link.ProfileId} into {survivorId}, which another SFCC customer holds or claims", cancellationToken);
                    dropped.Add(customerNo);
                }
            }
        }

        var kept = liveSources.Count > 0 ? $"; {string.Join(",", liveSources)} still in Omneo, links kept" : "";
        var unlinked = dropped.Count > 0 ? $"; unlinked {string.Join(",", dropped)} (the survivor serves another customer)" : "";
        return moved.Count + dropped.Count > 0
            ? (WebhookStatus.Applied, (moved.Count > 0 ? "relinked " + string.Join(",", moved) : "relinked none") + unlinked + kept)
            : (WebhookStatus.Skipped, "no link to move" + kept);
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
