using System.Globalization;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// Brings one customer's two records in step, in either direction, under the customer's lock (one customer is never
/// synced by two jobs at once, across instances on PostgreSQL too). The link keeps the last state both sides agreed on
/// (<c>synced_state</c>) and a hash per direction: a state the bridge wrote itself hashes the same when it comes back,
/// so echoes cost nothing. Only fields that changed since that state are written, so an edit on the other side is not
/// overwritten; a field both sides changed is decided by <see cref="SyncOptions.FieldOwners"/> and recorded.
/// </summary>
internal sealed partial class CustomerSync(
    SfccClient sfcc,
    OmneoClient omneo,
    CustomerLinkStore links,
    CustomerLocks locks,
    ProfileLinker linker,
    SyncStore store,
    WebhookEventStore webhooks,
    AuditLog audit,
    IOptions<SyncOptions> options,
    IOptions<SfccOptions> sfccOptions,
    IOptions<ProfilesOptions> profilesOptions,
    ILogger<CustomerSync> logger)
{
    public const string SfccToOmneo = SyncDirection.SfccToOmneo;
    public const string OmneoToSfcc = SyncDirection.OmneoToSfcc;

    private string ListId => sfccOptions.Value.CustomerListId;

    private IReadOnlyDictionary<string, string> CustomAttributes => options.Value.CustomAttributes;

    private string? EmailVerifiedAttribute => profilesOptions.Value.EmailVerifiedAttribute;

    private bool IsSfccOwned(string field) => ProfileMapping.IsSfccOwned(field, CustomAttributes, EmailVerifiedAttribute);

    /// <summary>SFCC → Omneo for one customer document (delta, backfill, login refresh, retry); links an unlinked customer first.</summary>
    public async Task<SyncOutcome> PushAsync(SfccCustomer customer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(customer.CustomerNo))
        {
            return SyncOutcome.Skipped;
        }

        var customerNo = customer.CustomerNo;

        // One hold of the customer's lock for the link and the sync: the link is read once, and on PostgreSQL the
        // advisory lock costs one connection and its round trips, not two.
        await using var held = await locks.AcquireAsync(linker.LockKey(customerNo), cancellationToken);
        var resolved = await linker.ResolveHoldingLockAsync(customer, cancellationToken);
        if (resolved is LinkResult.Refused { Final: true } refused)
        {
            await SetAsideAsync(customerNo, SfccToOmneo, "Omneo refused to link: " + refused.Detail, cancellationToken);
            return SyncOutcome.Failed;
        }

        // A lost race or an Omneo failure is the job's to retry.
        var link = resolved.LinkOrThrow();

        var current = ProfileMapping.StateOf(customer, CustomAttributes);
        var sfccHash = current.Hash();
        var synced = await links.GetSyncBaseAsync(ListId, customerNo, cancellationToken);
        if (sfccHash == synced.SfccHash)
        {
            await store.ResolveFailureAsync(ListId, customerNo, SfccToOmneo, cancellationToken);
            return SyncOutcome.Unchanged;
        }

        if (await webhooks.HasPendingWebhookAsync(link.ProfileId, cancellationToken))
        {
            // The webhook job reads both sides afresh and reconciles them; writing now could undo the Omneo change.
            return SyncOutcome.Deferred;
        }

        var baseState = ProfileState.FromJson(synced.State);
        var changed = current.DiffersFrom(baseState).Where(k => current.Get(k) is not null).ToList();
        var agreed = baseState?.Copy() ?? new ProfileState();
        foreach (var field in changed)
        {
            agreed.Set(field, current.Get(field));
        }

        // A profile created from this very customer moments ago holds these fields already (not when it was created
        // with the names only, its email withheld).
        var justCreated = link.MatchSource == MatchSource.Created && !link.EmailWithheld && synced.State is null && !changed.Any(k => k.StartsWith(ProfileMapping.CustomPrefix, StringComparison.Ordinal));
        if (changed.Count == 0 || justCreated)
        {
            await links.MarkSyncedAsync(ListId, customerNo, agreed.ToJson(), sfccHash, agreed.Hash(), cancellationToken);
            await store.ResolveFailureAsync(ListId, customerNo, SfccToOmneo, cancellationToken);
            return SyncOutcome.Unchanged;
        }

        // Omneo is read right before it is written: an Omneo edit since the last sync (or, on a first sync, any
        // difference) is merged field by field rather than overwritten, with or without a webhook announcing it.
        var profile = await omneo.GetProfileAsync(link.ProfileId, cancellationToken);
        if (profile is null)
        {
            return await ProfileGoneAsync(link, cancellationToken);
        }

        var theirs = ProfileMapping.StateOf(profile, CustomAttributes);
        if (synced.OmneoHash is null || theirs.Hash() != synced.OmneoHash)
        {
            return await ReconcileAsync(link, customer, profile, baseState, cancellationToken);
        }

        var toOmneo = changed.Where(k => theirs.Get(k) != current.Get(k) && !Withheld(link, k)).ToList();
        if (toOmneo.Count > 0)
        {
            var (_, rejected, notFound) = await omneo.UpdateProfileAsync(link.ProfileId, ProfileMapping.ToOmneo(current, toOmneo), cancellationToken);
            if (notFound)
            {
                return await ProfileGoneAsync(link, cancellationToken);
            }

            if (rejected is not null)
            {
                await SetAsideAsync(customerNo, SfccToOmneo, Refusal(rejected), cancellationToken);
                return SyncOutcome.Failed;
            }
        }

        var omneoNow = theirs.Copy();
        toOmneo.ForEach(k => omneoNow.Set(k, current.Get(k)));
        await links.MarkSyncedAsync(ListId, customerNo, agreed.ToJson(), sfccHash, omneoNow.Hash(), cancellationToken);
        await store.ResolveFailureAsync(ListId, customerNo, SfccToOmneo, cancellationToken);
        return toOmneo.Count > 0 ? SyncOutcome.Written : SyncOutcome.Unchanged;
    }

    /// <summary>
    /// Omneo → SFCC for one linked customer after Omneo said the profile changed: reads both sides afresh, under the
    /// customer's lock, and reconciles them. What is applied is the profile as Omneo holds it now, never what a
    /// notification carried, so a late or replayed notification cannot roll the customer back. A profile Omneo answers
    /// 404 for is gone (deleted, or merged away): the link is dropped and the customer relinked at its next sync.
    /// </summary>
    public async Task<SyncOutcome> PullAsync(CustomerLink link, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(linker.LockKey(link.CustomerNo), cancellationToken);
        var profile = await omneo.GetProfileAsync(link.ProfileId, cancellationToken);
        if (profile is null)
        {
            await linker.ForgetAsync(link, "profile gone from Omneo (404)", cancellationToken);
            return SyncOutcome.Unlinked;
        }

        var synced = await links.GetSyncBaseAsync(link.CustomerListId, link.CustomerNo, cancellationToken);
        if (ProfileMapping.StateOf(profile, CustomAttributes).Hash() == synced.OmneoHash)
        {
            return SyncOutcome.Unchanged;
        }

        var customer = await sfcc.GetCustomerByNumberAsync(link.CustomerNo, cancellationToken);
        if (customer is null)
        {
            LogCustomerGone(logger, link.CustomerNo);
            return SyncOutcome.Skipped;
        }

        return await ReconcileAsync(link, customer, profile, ProfileState.FromJson(synced.State), cancellationToken);
    }

    /// <summary>
    /// Merges the two records field by field against the last agreed state (<paramref name="baseState"/>; none before
    /// the first sync) with <see cref="FieldMerge"/>, records its conflicts, and writes each side only what it lacks.
    /// The caller holds the customer's lock.
    /// </summary>
    private async Task<SyncOutcome> ReconcileAsync(CustomerLink link, SfccCustomer customer, OmneoProfile profile, ProfileState? baseState, CancellationToken cancellationToken)
    {
        var ours = ProfileMapping.StateOf(customer, CustomAttributes);
        var theirs = ProfileMapping.StateOf(profile, CustomAttributes);
        var decisions = FieldMerge.Merge(ours, theirs, baseState, RulesFor(link, customer, profile));
        var merged = new ProfileState();
        foreach (var decision in decisions)
        {
            merged.Set(decision.Field, decision.Agreed);
            if (decision.Conflict is { } conflict)
            {
                await store.RecordConflictAsync(link.CustomerListId, link.CustomerNo, decision.Field, conflict.WinnerName, conflict.RuleName, cancellationToken);
                LogConflict(logger, link.CustomerNo, decision.Field, conflict.WinnerName, conflict.RuleName);
            }
        }

        // Fields set come first, then fields cleared: the order the audit and the patch have always listed them in.
        var toSfcc = decisions.Where(d => d.Action == FieldAction.WriteToSfcc)
            .OrderBy(d => d.Agreed is null).ThenBy(d => d.Field, StringComparer.Ordinal).Select(d => d.Field).ToList();
        if (toSfcc.Count > 0)
        {
            var (_, notFound, refused) = await sfcc.PatchCustomerAsync(link.CustomerNo, ProfileMapping.ToSfccPatch(merged, toSfcc, CustomAttributes, EmailVerifiedAttribute), cancellationToken);
            if (notFound)
            {
                LogCustomerGone(logger, link.CustomerNo);
                return SyncOutcome.Skipped;
            }

            if (refused is not null)
            {
                await SetAsideAsync(link.CustomerNo, OmneoToSfcc, "SFCC refused: " + refused, cancellationToken);
                return SyncOutcome.Failed;
            }
        }

        var toOmneo = decisions.Where(d => d.Action == FieldAction.WriteToOmneo).Select(d => d.Field).Order(StringComparer.Ordinal).ToList();
        var omneoNow = theirs.Copy();
        var omneoRefused = false;
        if (toOmneo.Count > 0)
        {
            var (_, rejected, notFound) = await omneo.UpdateProfileAsync(link.ProfileId, ProfileMapping.ToOmneo(merged, toOmneo), cancellationToken);
            if (notFound)
            {
                return await ProfileGoneAsync(link, cancellationToken);
            }

            if (rejected is not null)
            {
                omneoRefused = true;
                await SetAsideAsync(link.CustomerNo, SfccToOmneo, Refusal(rejected), cancellationToken);
            }
            else
            {
                toOmneo.ForEach(k => omneoNow.Set(k, merged.Get(k)));
            }
        }

        // SFCC now holds the merged state; Omneo holds what it had plus what was written (it cannot clear fields).
        await links.MarkSyncedAsync(link.CustomerListId, link.CustomerNo, merged.ToJson(), merged.Hash(), omneoNow.Hash(), cancellationToken);
        await store.ResolveFailureAsync(link.CustomerListId, link.CustomerNo, OmneoToSfcc, cancellationToken);
        if (!omneoRefused)
        {
            await store.ResolveFailureAsync(link.CustomerListId, link.CustomerNo, SfccToOmneo, cancellationToken);
        }

        if (toSfcc.Count > 0)
        {
            await audit.RecordAsync("sync.omneo_to_sfcc", link.CustomerListId, link.CustomerNo, link.ProfileId, "fields: " + string.Join(",", toSfcc), cancellationToken);
        }

        if (omneoRefused)
        {
            return SyncOutcome.Failed;
        }

        return toSfcc.Count > 0 || toOmneo.Count > 0 ? SyncOutcome.Written : SyncOutcome.Unchanged;
    }

    /// <summary>
    /// Whether <paramref name="field"/> stays out of the customer's Omneo profile: its email while the link waits for a
    /// verified email (another profile has it). Not a failure: the conversion completes it.
    /// </summary>
    private static bool Withheld(CustomerLink link, string field) => MergeRules.Withheld(link.EmailWithheld, field);

    /// <summary>The lock every sync of this customer takes.</summary>
    public Task<IAsyncDisposable> LockAsync(string customerNo, CancellationToken cancellationToken) =>
        locks.AcquireAsync(linker.LockKey(customerNo), cancellationToken);

    private MergeRules RulesFor(CustomerLink link, SfccCustomer customer, OmneoProfile profile) => new(
        options.Value.OwnerOf,
        IsSfccOwned,
        link.EmailWithheld,
        customer.LastModified,
        DateTimeOffset.TryParse(profile.UpdatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated) ? updated : null);

    /// <summary>The linked profile is gone (deleted, or merged away): drop the link and set the customer aside; its retry links it afresh.</summary>
    private async Task<SyncOutcome> ProfileGoneAsync(CustomerLink link, CancellationToken cancellationToken)
    {
        await linker.ForgetAsync(link, "profile gone from Omneo during sync", cancellationToken);
        await SetAsideAsync(link.CustomerNo, SfccToOmneo, "Omneo profile gone; retry relinks the customer", cancellationToken);
        return SyncOutcome.Failed;
    }

    private static string Refusal(OmneoValidationErrors rejected) =>
        "Omneo refused: " + rejected;

    private async Task SetAsideAsync(string customerNo, string direction, string reason, CancellationToken cancellationToken)
    {
        await store.RecordFailureAsync(ListId, customerNo, direction, reason, cancellationToken);
        LogSetAside(logger, customerNo, direction, reason);
    }

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning, Message = "SFCC customer {CustomerNo} set aside ({Direction}): {Reason}")]
    private static partial void LogSetAside(ILogger logger, string customerNo, string direction, string reason);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Information, Message = "Both sides changed {Field} of SFCC customer {CustomerNo}; {Winner} wins by {Rule}")]
    private static partial void LogConflict(ILogger logger, string customerNo, string field, string winner, string rule);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Information, Message = "SFCC customer {CustomerNo} no longer exists; Omneo change not applied")]
    private static partial void LogCustomerGone(ILogger logger, string customerNo);
}
