using System.Globalization;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Profiles;

/// <summary>
/// Finds the one Omneo profile of a registered SFCC customer, in this order: the bridge's own link; the Omneo
/// identity (<c>IdentityHandle</c> = customer_no); a profile with the same email, only where
/// <see cref="ProfilesOptions.EmailMatch"/> allows it (by default: SFCC says the email is verified), which then gets
/// the identity; else a new profile with the identity. The link is stored, so once linked the hot path asks Omneo nothing.
/// <para>Hard rules, whatever the configuration: a profile bound to another SFCC customer (its active identity, or a
/// link in the store) is never linked, merged into or chosen; one profile is linked to at most one customer of a list
/// (a unique index backs this check). A match not taken is recorded as a candidate; while one exists the customer's
/// own profile is created without the email (Omneo emails are unique), and once the email is verified the bridge
/// merges that profile into the earlier one (<see cref="ResolveAsync(SfccCustomer, CancellationToken)"/>).</para>
/// Work on one customer is serialised (also across instances on PostgreSQL), so two first logins make one profile.
/// </summary>
internal sealed partial class ProfileLinker(
    OmneoClient omneo,
    BridgeDatabase database,
    CustomerLinkStore links,
    LinkCandidates candidates,
    CustomerLocks locks,
    AuditLog audit,
    IOptions<SfccOptions> sfcc,
    IOptions<OmneoOptions> omneoOptions,
    IOptions<ProfilesOptions> profiles,
    TimeProvider time,
    ILogger<ProfileLinker> logger)
{
    /// <summary>How long a withheld link that could not be completed is left alone before a login or sync tries again.</summary>
    private static readonly TimeSpan WithheldRecheck = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Withheld links whose completion found nothing to do (the email held by a bound profile, or refused), and when to
    /// look again: without it every login of such a customer would take the lock and search Omneo by email.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _withheldRecheckAt = new(StringComparer.Ordinal);

    private string ListId => sfcc.Value.CustomerListId;

    private ProfilesOptions Policy => profiles.Value;

    /// <summary>The stored link, without asking Omneo (possibly from the link cache: for a login only).</summary>
    public ValueTask<CustomerLink?> FindLinkAsync(string customerNo, CancellationToken cancellationToken) =>
        links.FindRecentAsync(ListId, customerNo, cancellationToken);

    /// <summary>
    /// The customer's link, made now if there is none. A link whose email was withheld is completed when
    /// <paramref name="customer"/> now passes the email policy (the storefront verified the email since): the only
    /// case in which a linked customer costs Omneo calls here. Omneo's failures and refusals are answered as values,
    /// for the caller to decide (<see cref="LinkResult.LinkOrThrow"/> where every one is an upstream failure).
    /// </summary>
    public Task<LinkResult> ResolveAsync(SfccCustomer customer, CancellationToken cancellationToken) =>
        ResolveAsync(customer, mergeDuplicates: false, cancellationToken);

    /// <summary>
    /// As <see cref="ResolveAsync(SfccCustomer, CancellationToken)"/>, for a guest just registered: when one profile
    /// already holds the SFCC identity and others match the email (a guest purchase, a store sign-up), the email-only
    /// duplicates are merged into the identity holder rather than left beside it, where the email policy allows.
    /// </summary>
    public Task<LinkResult> ResolveRegisteredAsync(SfccCustomer customer, CancellationToken cancellationToken) =>
        ResolveAsync(customer, mergeDuplicates: true, cancellationToken);

    /// <summary>
    /// As <see cref="ResolveAsync(SfccCustomer, CancellationToken)"/>, for a login: a known link may come from the link
    /// cache (<see cref="CustomerLinkStore.FindRecentAsync"/>); linking itself still reads the store under the lock.
    /// </summary>
    public Task<LinkResult> ResolveForLoginAsync(SfccCustomer customer, CancellationToken cancellationToken) =>
        ResolveAsync(customer, mergeDuplicates: false, cancellationToken, recentLinkIsEnough: true);

    /// <summary>
    /// As <see cref="ResolveAsync(SfccCustomer, CancellationToken)"/>, for a caller that holds the customer's lock
    /// (<see cref="LockKey"/>) already and goes on working under it (the sync): the link is read once, under that
    /// lock, and the lock is not taken a second time.
    /// </summary>
    public async Task<LinkResult> ResolveHoldingLockAsync(SfccCustomer customer, CancellationToken cancellationToken)
    {
        var customerNo = customer.CustomerNo ?? throw new ArgumentException("A registered customer has a customer_no.", nameof(customer));
        try
        {
            return await ResolveUnderLockAsync(customer, customerNo, mergeDuplicates: false, cancellationToken);
        }
        catch (UpstreamException problem)
        {
            return new LinkResult.UpstreamFailed(problem);
        }
    }

    private async Task<LinkResult> ResolveAsync(SfccCustomer customer, bool mergeDuplicates, CancellationToken cancellationToken, bool recentLinkIsEnough = false)
    {
        var customerNo = customer.CustomerNo ?? throw new ArgumentException("A registered customer has a customer_no.", nameof(customer));
        try
        {
            return await ResolveAsync(customer, customerNo, mergeDuplicates, recentLinkIsEnough, cancellationToken);
        }
        catch (UpstreamException problem)
        {
            return new LinkResult.UpstreamFailed(problem);
        }
    }

    private async Task<LinkResult> ResolveAsync(SfccCustomer customer, string customerNo, bool mergeDuplicates, bool recentLinkIsEnough, CancellationToken cancellationToken)
    {
        var link = recentLinkIsEnough
            ? await links.FindRecentAsync(ListId, customerNo, cancellationToken)
            : await links.FindAsync(ListId, customerNo, cancellationToken);
        if (link is not null && !ShouldComplete(link, customer))
        {
            return new LinkResult.Linked(link);
        }

        if (link is null && !UpstreamIdentifier.IsValid(customerNo))
        {
            return InvalidCustomerNo();
        }

        await using var held = await locks.AcquireAsync(LockKey(customerNo), cancellationToken);
        return await ResolveUnderLockAsync(customer, customerNo, mergeDuplicates, cancellationToken);
    }

    /// <summary>The customer's link, read (and made or completed when needed) under the customer's lock, which the caller holds.</summary>
    private async Task<LinkResult> ResolveUnderLockAsync(SfccCustomer customer, string customerNo, bool mergeDuplicates, CancellationToken cancellationToken)
    {
        var link = await links.FindAsync(ListId, customerNo, cancellationToken);
        if (link is null)
        {
            return UpstreamIdentifier.IsValid(customerNo)
                ? await LinkAsync(customer, customerNo, mergeDuplicates, cancellationToken)
                : InvalidCustomerNo();
        }

        return ShouldComplete(link, customer)
            ? await CompleteWithheldAsync(link, customer, cancellationToken)
            : new LinkResult.Linked(link);
    }

    // Omneo is searched by the customer_no: one that could walk a path never goes into a request.
    private static LinkResult.Refused InvalidCustomerNo() =>
        new(LinkRefusal.InvalidCustomerNo, "refused to put an invalid identity identifier into a request");

    private bool ShouldComplete(CustomerLink link, SfccCustomer customer) =>
        link.EmailWithheld
        && Policy.AllowsEmailLink(customer)
        && (!_withheldRecheckAt.TryGetValue(link.CustomerNo, out var due) || time.GetUtcNow() >= due);

    /// <summary>Leaves a withheld link as it is until the next recheck.</summary>
    private LinkResult.Linked StillWithheld(CustomerLink link)
    {
        _withheldRecheckAt[link.CustomerNo] = time.GetUtcNow() + WithheldRecheck;
        return new LinkResult.Linked(link);
    }

    /// <summary>Drops a link whose profile Omneo no longer has (deleted, or merged away), so the next resolve finds the live one.</summary>
    public async Task ForgetAsync(CustomerLink link, string reason, CancellationToken cancellationToken)
    {
        if (await links.DeleteAsync(link.CustomerListId, link.CustomerNo, link.ProfileId, cancellationToken))
        {
            await audit.RecordAsync("link.dropped", link.CustomerListId, link.CustomerNo, link.ProfileId, reason, cancellationToken);
            LogLinkDropped(logger, link.CustomerNo, link.ProfileId, reason);
        }
    }

    public string LockKey(string customerNo) => $"customer:{ListId}:{customerNo}";

    private string ProfileLockKey(string profileId) => $"profile:{ListId}:{profileId}";

    private async Task<LinkResult> LinkAsync(SfccCustomer customer, string customerNo, bool mergeDuplicates, CancellationToken cancellationToken)
    {
        if (await omneo.FindByIdentityAsync(customerNo, cancellationToken) is { } byIdentity)
        {
            var bound = await BoundElsewhereAsync(byIdentity, customerNo, cancellationToken);
            if (bound is null)
            {
                var merged = mergeDuplicates ? await MergeDuplicatesAsync(byIdentity, customer, customerNo, cancellationToken) : [];
                var detail = merged.Count > 0 ? $"merged {string.Join(",", merged)} into {byIdentity.Id}" : null;
                if (await TryLinkAsync(customer, customerNo, byIdentity.Id!, MatchSource.Identity, attachIdentity: false, emailWithheld: false, detail, cancellationToken) is { } linked)
                {
                    return linked;
                }

                bound = "is linked to another SFCC customer";
            }

            // The identity sits on a profile another customer holds too (made before these rules, or by hand): never
            // hand it out. The customer gets a profile of their own; support sees why.
            await RecordCandidateAsync(customerNo, byIdentity.Id!, $"holds this customer's {omneoOptions.Value.IdentityHandle} identity but {bound}", cancellationToken);
            // The email is kept out only if the refused profile has it; a clash with any other profile comes back as a
            // refused create, which CreateOwnAsync answers by leaving the email out.
            var clash = string.Equals(byIdentity.Email?.Trim(), customer.Email?.Trim(), StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(customer.Email);
            return await CreateOwnAsync(customer, customerNo, withholdEmail: clash, retried: true, cancellationToken);
        }

        var matches = string.IsNullOrWhiteSpace(customer.Email) ? [] : await omneo.FindByEmailAsync(customer.Email, cancellationToken);
        return await LinkByEmailOrCreateAsync(customer, customerNo, matches, retried: false, cancellationToken);
    }

    /// <summary>
    /// Links to the best profile sharing the email where the policy allows it and the profile is free; otherwise
    /// records the matches as candidates and creates the customer's own profile, without the email while another
    /// profile has it.
    /// </summary>
    private async Task<LinkResult> LinkByEmailOrCreateAsync(SfccCustomer customer, string customerNo, IReadOnlyList<OmneoProfile> matches, bool retried, CancellationToken cancellationToken)
    {
        if (matches.Count > 0 && await AdoptInterruptedCreationAsync(customer, customerNo, matches, cancellationToken) is { } adopted)
        {
            return adopted;
        }

        var free = new List<OmneoProfile>();
        foreach (var match in matches)
        {
            if (await BoundElsewhereAsync(match, customerNo, cancellationToken) is { } bound)
            {
                await RecordCandidateAsync(customerNo, match.Id!, "shares the email but " + bound, cancellationToken);
            }
            else
            {
                free.Add(match);
            }
        }

        if (free.Count > 0 && Policy.AllowsEmailLink(customer))
        {
            var chosen = Choose(free, customerNo)!;
            var detail = free.Count > 1
                ? $"{free.Count} free profiles share the email; chose {chosen.Id} (earliest created) over {string.Join(",", free.Where(c => c.Id != chosen.Id).Select(c => c.Id))}"
                : null;
            if (detail is not null)
            {
                LogSeveralMatches(logger, customerNo, free.Count, chosen.Id!);
            }

            if (await TryLinkAsync(customer, customerNo, chosen.Id!, MatchSource.Email, attachIdentity: true, emailWithheld: false, detail, cancellationToken) is { } linked)
            {
                return linked;
            }

            await RecordCandidateAsync(customerNo, chosen.Id!, "shares the email but was linked to another SFCC customer meanwhile", cancellationToken);
        }
        else
        {
            foreach (var match in free)
            {
                await RecordCandidateAsync(customerNo, match.Id!, "shares the email; " + Policy.WhyNotLinked(customer), cancellationToken);
            }
        }

        return await CreateOwnAsync(customer, customerNo, withholdEmail: matches.Count > 0, retried, cancellationToken);
    }

    /// <summary>
    /// A new profile for the customer with the identity. With <paramref name="withholdEmail"/> (another profile has
    /// the email, which Omneo keeps unique) it holds the identity and names only, and the sync keeps the email out.
    /// </summary>
    private async Task<LinkResult> CreateOwnAsync(SfccCustomer customer, string customerNo, bool withholdEmail, bool retried, CancellationToken cancellationToken)
    {
        var input = withholdEmail
            ? new OmneoProfileInput { FirstName = customer.FirstName, LastName = customer.LastName }
            : ProfileMapping.FromSfcc(customer);
        if (!withholdEmail)
        {
            await links.NoteCreationAsync(ListId, customerNo, cancellationToken);
        }

        var (created, rejected) = await omneo.CreateProfileAsync(input, cancellationToken);
        if (created is null && !withholdEmail)
        {
            await links.ClearCreationAsync(ListId, customerNo, CancellationToken.None);
        }

        if (created is null && rejected is not null && !withholdEmail && !string.IsNullOrWhiteSpace(customer.Email))
        {
            // Someone created a profile with the email between our search and our create (another system, a lagging
            // index): look again once, and decide about it under the same rules; then keep the email out.
            var again = retried ? [] : await omneo.FindByEmailAsync(customer.Email, cancellationToken);
            return again.Count > 0
                ? await LinkByEmailOrCreateAsync(customer, customerNo, again, retried: true, cancellationToken)
                : await CreateOwnAsync(customer, customerNo, withholdEmail: true, retried: true, cancellationToken);
        }

        if (created is null)
        {
            var fields = rejected is null ? "" : string.Join(",", rejected.Errors.Keys);
            return new LinkResult.Refused(LinkRefusal.ProfileCreateRefused, $"profile create refused ({fields})");
        }

        // With the identity attached and the link stored, no profile of ours is left to find by email: the noted
        // creation ends in the link's own transaction (a refused link keeps it).
        var detail = withholdEmail ? "created without the email: another profile has it (see candidates)" : null;
        return await TryLinkAsync(customer, customerNo, created.Id!, MatchSource.Created, attachIdentity: true, withholdEmail, detail, cancellationToken, endsCreation: !withholdEmail)
            ?? new LinkResult.Refused(LinkRefusal.NewProfileTaken, "a new profile is linked to another customer already");
    }

    /// <summary>
    /// After a crash between Omneo's create and the identity, the profile the bridge made holds the customer's email
    /// and no identity. Omneo keeps emails unique, so a free profile with the email, with no SFCC identity, created
    /// since the noted creation started (a minute's leeway for clocks), is that profile: linked as created, not as an
    /// email match.
    /// </summary>
    private async Task<LinkResult?> AdoptInterruptedCreationAsync(SfccCustomer customer, string customerNo, IReadOnlyList<OmneoProfile> matches, CancellationToken cancellationToken)
    {
        if (await links.InterruptedCreationAsync(ListId, customerNo, cancellationToken) is not { } startedAt)
        {
            return null;
        }

        var handle = omneoOptions.Value.IdentityHandle;
        var orphan = matches.FirstOrDefault(p =>
            p.Identities?.Any(i => i.Handle == handle) != true
            && DateTimeOffset.TryParse(p.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            && created >= startedAt.AddMinutes(-1));
        var link = orphan is null
            ? null
            : await TryLinkAsync(customer, customerNo, orphan.Id!, MatchSource.Created, attachIdentity: true, emailWithheld: false, "adopted the profile an interrupted creation had made", cancellationToken);
        await links.ClearCreationAsync(ListId, customerNo, cancellationToken);
        return link;
    }

    /// <summary>
    /// Completes a conversion whose email was withheld, now that the email passes the policy: the customer's own
    /// profile is merged into the earlier one sharing the email (its history is kept), or, with no free earlier profile
    /// left, the email is written to the customer's own profile. Bound profiles stay untouched. The caller holds the
    /// customer's lock.
    /// </summary>
    private async Task<LinkResult> CompleteWithheldAsync(CustomerLink link, SfccCustomer customer, CancellationToken cancellationToken)
    {
        var customerNo = link.CustomerNo;
        if (string.IsNullOrWhiteSpace(customer.Email))
        {
            return new LinkResult.Linked(link);
        }

        var others = (await omneo.FindByEmailAsync(customer.Email, cancellationToken)).Where(p => p.Id != link.ProfileId).ToList();
        var free = new List<OmneoProfile>();
        foreach (var other in others)
        {
            if (await BoundElsewhereAsync(other, customerNo, cancellationToken) is null)
            {
                free.Add(other);
            }
        }

        if (free.Count == 0)
        {
            if (others.Count > 0)
            {
                // The email belongs to a profile bound to another customer: it stays out of this one.
                return StillWithheld(link);
            }

            var (_, rejected, notFound) = await omneo.UpdateProfileAsync(link.ProfileId, new OmneoProfileInput { Email = customer.Email }, cancellationToken);
            if (rejected is not null || notFound)
            {
                return StillWithheld(link);
            }

            _withheldRecheckAt.TryRemove(customerNo, out _);
            var kept = await links.TryUpsertAsync(ListId, customerNo, customer.CustomerId, link.ProfileId, link.MatchSource, emailWithheld: false, cancellationToken) ?? link;
            await candidates.ResolveAllAsync(ListId, customerNo, "email verified; no free earlier profile left, the email went to the customer's own profile", cancellationToken);
            await audit.RecordAsync("link.completed", ListId, customerNo, link.ProfileId, "email verified; email written to the customer's own profile", cancellationToken);
            return new LinkResult.Linked(kept);
        }

        var chosen = Choose(free, customerNo)!;
        await using var profileHeld = await locks.AcquireAsync(ProfileLockKey(chosen.Id!), cancellationToken);
        if (await links.FindByProfileAsync(ListId, chosen.Id!, cancellationToken) is { } owner && owner.CustomerNo != customerNo)
        {
            return StillWithheld(link);
        }

        await omneo.MergeAsync(link.ProfileId, chosen.Id!, cancellationToken);
        var holdsIdentity = await AttachIdentityAsync(chosen.Id!, customerNo, cancellationToken);
        if (await links.TryUpsertAsync(ListId, customerNo, customer.CustomerId, chosen.Id!, MatchSource.EmailVerified, emailWithheld: false, cancellationToken) is not { } completed)
        {
            return new LinkResult.Refused(LinkRefusal.EarlierProfileTaken, "the earlier profile is linked to another customer already");
        }

        var detail = $"email verified; merged the customer's own profile {link.ProfileId} into the earlier profile {chosen.Id}"
            + (holdsIdentity ? "" : "; the identity is held by another profile, so this one was left without it");
        _withheldRecheckAt.TryRemove(customerNo, out _);
        await candidates.ResolveAllAsync(ListId, customerNo, detail, cancellationToken);
        await audit.RecordAsync("link.completed", ListId, customerNo, chosen.Id, detail, cancellationToken);
        LogCompleted(logger, customerNo, link.ProfileId, chosen.Id!);
        return new LinkResult.Linked(completed);
    }

    /// <summary>
    /// Links the customer to <paramref name="profileId"/> under the profile's lock, unless another customer of the list
    /// holds it (null then, and nothing was written). The unique index on (list, profile) is the last word. A match
    /// whose identity Omneo refuses while another profile holds it is refused (a profile the bridge created is linked
    /// without the identity). The link, its audit event and (with <paramref name="endsCreation"/>) the end of the noted
    /// creation are one transaction.
    /// </summary>
    private async Task<LinkResult?> TryLinkAsync(SfccCustomer customer, string customerNo, string profileId, string source, bool attachIdentity, bool emailWithheld, string? detail, CancellationToken cancellationToken, bool endsCreation = false)
    {
        await using var profileHeld = await locks.AcquireAsync(ProfileLockKey(profileId), cancellationToken);
        if (await links.FindByProfileAsync(ListId, profileId, cancellationToken) is { } owner && owner.CustomerNo != customerNo)
        {
            return null;
        }

        var identityElsewhere = attachIdentity && !await AttachIdentityAsync(profileId, customerNo, cancellationToken);
        if (identityElsewhere && source != MatchSource.Created)
        {
            return new LinkResult.Refused(LinkRefusal.IdentityHeldElsewhere, "identity refused and held by another profile");
        }

        await using var write = await database.BeginAsync(cancellationToken);
        var link = await links.TryUpsertAsync(write, ListId, customerNo, customer.CustomerId, profileId, source, emailWithheld, cancellationToken);
        if (link is null)
        {
            return null;
        }

        if (identityElsewhere)
        {
            detail = (detail is null ? "" : detail + "; ") + "the identity is held by another profile, so this one was left without it";
        }

        await audit.RecordAsync(write, "link." + source, ListId, customerNo, profileId, detail, cancellationToken);
        if (endsCreation)
        {
            await links.ClearCreationAsync(write, ListId, customerNo, cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        LogLinked(logger, customerNo, profileId, source);
        return new LinkResult.Linked(link);
    }

    /// <summary>
    /// Why <paramref name="profile"/> belongs to another SFCC customer (an active identity of the handle, or a link of
    /// the store), or null when it is free for <paramref name="customerNo"/>.
    /// </summary>
    private async Task<string?> BoundElsewhereAsync(OmneoProfile profile, string customerNo, CancellationToken cancellationToken)
    {
        var handle = omneoOptions.Value.IdentityHandle;
        if (profile.Identities?.FirstOrDefault(i => i.Handle == handle && i.Identifier != customerNo && i.IsActive != false) is { } other)
        {
            return $"is bound to SFCC customer {other.Identifier} (holds its {handle} identity)";
        }

        return await links.FindByProfileAsync(ListId, profile.Id!, cancellationToken) is { } owner && owner.CustomerNo != customerNo
            ? $"is linked to SFCC customer {owner.CustomerNo}"
            : null;
    }

    private async Task RecordCandidateAsync(string customerNo, string profileId, string reason, CancellationToken cancellationToken)
    {
        await candidates.RecordAsync(ListId, customerNo, profileId, reason, cancellationToken);
        LogCandidate(logger, customerNo, profileId, reason);
    }

    /// <summary>
    /// Merges every other free profile with the customer's email into <paramref name="holder"/>, the profile holding
    /// the SFCC identity, where the email policy allows linking by it; otherwise they are recorded as candidates. A
    /// profile bound to another SFCC customer is never merged. Safe to repeat: a merged profile is gone from the search.
    /// </summary>
    private async Task<IReadOnlyList<string>> MergeDuplicatesAsync(OmneoProfile holder, SfccCustomer customer, string customerNo, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(customer.Email))
        {
            return [];
        }

        var merged = new List<string>();
        foreach (var duplicate in (await omneo.FindByEmailAsync(customer.Email, cancellationToken)).Where(p => p.Id != holder.Id))
        {
            if (await BoundElsewhereAsync(duplicate, customerNo, cancellationToken) is { } bound)
            {
                await RecordCandidateAsync(customerNo, duplicate.Id!, "shares the email but " + bound, cancellationToken);
                continue;
            }

            if (!Policy.AllowsEmailLink(customer))
            {
                await RecordCandidateAsync(customerNo, duplicate.Id!, "shares the email; " + Policy.WhyNotLinked(customer), cancellationToken);
                continue;
            }

            await omneo.MergeAsync(duplicate.Id!, holder.Id!, cancellationToken);
            await audit.RecordAsync("profile.merged", ListId, customerNo, holder.Id, $"merged profile {duplicate.Id} (same email) into {holder.Id} (holds the SFCC identity)", cancellationToken);
            LogMerged(logger, customerNo, duplicate.Id!, holder.Id!);
            merged.Add(duplicate.Id!);
        }

        return merged;
    }

    /// <summary>Adds the identity; true when the profile holds it now, false when another profile holds it.</summary>
    private async Task<bool> AttachIdentityAsync(string profileId, string customerNo, CancellationToken cancellationToken)
    {
        if (await omneo.AddIdentityAsync(profileId, customerNo, cancellationToken))
        {
            return true;
        }

        // Refused: the identity exists already. Fine if it is on this profile.
        var holder = await omneo.FindByIdentityAsync(customerNo, cancellationToken);
        return holder?.Id == profileId;
    }

    /// <summary>
    /// Picks one of the free profiles deterministically: the earliest created, then the smallest id. Never "the last
    /// one returned". Callers pass only profiles bound to no other SFCC customer.
    /// </summary>
    internal OmneoProfile? Choose(IReadOnlyList<OmneoProfile> candidates, string customerNo)
    {
        var handle = omneoOptions.Value.IdentityHandle;
        return candidates
            .Where(p => p.Identities?.Any(i => i.Handle == handle && i.Identifier != customerNo && i.IsActive != false) != true)
            .OrderBy(p => DateTimeOffset.TryParse(p.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : DateTimeOffset.MaxValue)
            .ThenBy(p => p.Id!.Length)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Linked SFCC customer {CustomerNo} to Omneo profile {ProfileId} by {Source}")]
    private static partial void LogLinked(ILogger logger, string customerNo, string profileId, string source);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "{Count} Omneo profiles share the email of SFCC customer {CustomerNo}; chose {ProfileId}")]
    private static partial void LogSeveralMatches(ILogger logger, string customerNo, int count, string profileId);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Information, Message = "Merged Omneo profile {SourceProfileId} into {ProfileId} for SFCC customer {CustomerNo}")]
    private static partial void LogMerged(ILogger logger, string customerNo, string sourceProfileId, string profileId);

    [LoggerMessage(EventId = 1905, Level = LogLevel.Warning, Message = "Omneo profile {ProfileId} is a candidate for SFCC customer {CustomerNo}, not linked: {Reason}")]
    private static partial void LogCandidate(ILogger logger, string customerNo, string profileId, string reason);

    [LoggerMessage(EventId = 1906, Level = LogLevel.Information, Message = "Completed the conversion of SFCC customer {CustomerNo}: merged Omneo profile {OwnProfileId} into {ProfileId}")]
    private static partial void LogCompleted(ILogger logger, string customerNo, string ownProfileId, string profileId);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Dropped the link of SFCC customer {CustomerNo} to Omneo profile {ProfileId}: {Reason}")]
    private static partial void LogLinkDropped(ILogger logger, string customerNo, string profileId, string reason);
}
