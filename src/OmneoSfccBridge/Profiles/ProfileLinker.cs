using System.Globalization;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Profiles;

/// <summary>
/// Finds the one Omneo profile of a registered SFCC customer, in this order: the bridge's own link; the Omneo
/// identity (<c>IdentityHandle</c> = customer_no); a profile with the same email, which then gets the identity;
/// else a new profile with the identity. The link is stored, so once linked the hot path asks Omneo nothing.
/// Work on one customer is serialised (also across instances on PostgreSQL), so two first logins make one profile.
/// </summary>
internal sealed partial class ProfileLinker(
    OmneoClient omneo,
    CustomerLinkStore links,
    CustomerLocks locks,
    AuditLog audit,
    IOptions<SfccOptions> sfcc,
    IOptions<OmneoOptions> omneoOptions,
    ILogger<ProfileLinker> logger)
{
    private string ListId => sfcc.Value.CustomerListId;

    /// <summary>The stored link, without asking Omneo.</summary>
    public Task<CustomerLink?> FindLinkAsync(string customerNo, CancellationToken cancellationToken) =>
        links.FindAsync(ListId, customerNo, cancellationToken);

    public Task<CustomerLink> ResolveAsync(SfccCustomer customer, CancellationToken cancellationToken) =>
        ResolveAsync(customer, mergeDuplicates: false, cancellationToken);

    /// <summary>
    /// As <see cref="ResolveAsync(SfccCustomer, CancellationToken)"/>, for a guest just registered: when one profile
    /// already holds the SFCC identity and others match the email (a guest purchase, a store sign-up), the email-only
    /// duplicates are merged into the identity holder rather than left beside it.
    /// </summary>
    public Task<CustomerLink> ResolveRegisteredAsync(SfccCustomer customer, CancellationToken cancellationToken) =>
        ResolveAsync(customer, mergeDuplicates: true, cancellationToken);

    private async Task<CustomerLink> ResolveAsync(SfccCustomer customer, bool mergeDuplicates, CancellationToken cancellationToken)
    {
        var customerNo = customer.CustomerNo ?? throw new ArgumentException("A registered customer has a customer_no.", nameof(customer));
        var link = await links.FindAsync(ListId, customerNo, cancellationToken);
        if (link is not null)
        {
            return link;
        }

        await using var held = await locks.AcquireAsync(LockKey(customerNo), cancellationToken);
        link = await links.FindAsync(ListId, customerNo, cancellationToken);
        return link ?? await LinkAsync(customer, customerNo, mergeDuplicates, cancellationToken);
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

    private async Task<CustomerLink> LinkAsync(SfccCustomer customer, string customerNo, bool mergeDuplicates, CancellationToken cancellationToken)
    {
        var (profile, source, detail) = await FindOrCreateAsync(customer, customerNo, mergeDuplicates, cancellationToken);
        var link = await links.UpsertAsync(ListId, customerNo, customer.CustomerId, profile.Id!, source, cancellationToken);
        await audit.RecordAsync("link." + source, ListId, customerNo, profile.Id, detail, cancellationToken);
        LogLinked(logger, customerNo, profile.Id!, source);
        return link;
    }

    private async Task<(OmneoProfile Profile, string Source, string? Detail)> FindOrCreateAsync(SfccCustomer customer, string customerNo, bool mergeDuplicates, CancellationToken cancellationToken)
    {
        if (await omneo.FindByIdentityAsync(customerNo, cancellationToken) is { } byIdentity)
        {
            var merged = mergeDuplicates ? await MergeDuplicatesAsync(byIdentity, customer, customerNo, cancellationToken) : [];
            return (byIdentity, "identity", merged.Count > 0 ? $"merged {string.Join(",", merged)} into {byIdentity.Id}" : null);
        }

        if (!string.IsNullOrWhiteSpace(customer.Email))
        {
            var candidates = await omneo.FindByEmailAsync(customer.Email, cancellationToken);
            if (Choose(candidates, customerNo) is { } chosen)
            {
                await AttachIdentityAsync(chosen.Id!, customerNo, cancellationToken);
                var detail = candidates.Count > 1
                    ? $"{candidates.Count} profiles share the email; chose {chosen.Id} (earliest created, no other SFCC identity) over {string.Join(",", candidates.Where(c => c.Id != chosen.Id).Select(c => c.Id))}"
                    : null;
                if (detail is not null)
                {
                    LogSeveralMatches(logger, customerNo, candidates.Count, chosen.Id!);
                }

                return (chosen, "email", detail);
            }
        }

        var input = ProfileMapping.FromSfcc(customer);
        var (created, rejected) = await omneo.CreateProfileAsync(input, cancellationToken);
        if (created is null && rejected is not null && !string.IsNullOrWhiteSpace(customer.Email))
        {
            // Someone created the profile between our search and our create (another system, or a lagging index).
            var again = Choose(await omneo.FindByEmailAsync(customer.Email, cancellationToken), customerNo);
            if (again is not null)
            {
                await AttachIdentityAsync(again.Id!, customerNo, cancellationToken);
                return (again, "email", "found after a refused create");
            }
        }

        if (created is null)
        {
            var fields = rejected is null ? "" : string.Join(",", rejected.Errors.Keys);
            throw new UpstreamException(OmneoClient.Name, UpstreamFailure.BadResponse, $"profile create refused ({fields})");
        }

        await AttachIdentityAsync(created.Id!, customerNo, cancellationToken);
        return (created, "created", null);
    }

    /// <summary>
    /// Merges every other profile with the customer's email into <paramref name="holder"/>, the profile holding the
    /// SFCC identity. The holder is kept because SFCC and every system keyed on the identity already point at it;
    /// a profile bound to another SFCC customer is never merged. Safe to repeat: a merged profile is gone from the search.
    /// </summary>
    private async Task<IReadOnlyList<string>> MergeDuplicatesAsync(OmneoProfile holder, SfccCustomer customer, string customerNo, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(customer.Email))
        {
            return [];
        }

        var handle = omneoOptions.Value.IdentityHandle;
        var duplicates = (await omneo.FindByEmailAsync(customer.Email, cancellationToken))
            .Where(p => p.Id != holder.Id && p.Identities?.Any(i => i.Handle == handle && i.Identifier != customerNo && i.IsActive != false) != true)
            .ToList();
        var merged = new List<string>();
        foreach (var duplicate in duplicates)
        {
            await omneo.MergeAsync(duplicate.Id!, holder.Id!, cancellationToken);
            await audit.RecordAsync("profile.merged", ListId, customerNo, holder.Id, $"merged profile {duplicate.Id} (same email) into {holder.Id} (holds the SFCC identity)", cancellationToken);
            LogMerged(logger, customerNo, duplicate.Id!, holder.Id!);
            merged.Add(duplicate.Id!);
        }

        return merged;
    }

    private async Task AttachIdentityAsync(string profileId, string customerNo, CancellationToken cancellationToken)
    {
        if (await omneo.AddIdentityAsync(profileId, customerNo, cancellationToken))
        {
            return;
        }

        // Refused: the identity exists already. Fine if it is on this profile; a conflict to report if elsewhere.
        var holder = await omneo.FindByIdentityAsync(customerNo, cancellationToken);
        if (holder?.Id != profileId)
        {
            throw new UpstreamException(OmneoClient.Name, UpstreamFailure.BadResponse, "identity refused and held by another profile");
        }
    }

    /// <summary>
    /// Picks one profile deterministically: profiles already bound to another SFCC customer come last, then the
    /// earliest created, then the smallest id. Never "the last one returned".
    /// </summary>
    internal OmneoProfile? Choose(IReadOnlyList<OmneoProfile> candidates, string customerNo)
    {
        var handle = omneoOptions.Value.IdentityHandle;
        return candidates
            .OrderBy(p => p.Identities?.Any(i => i.Handle == handle && i.Identifier != customerNo && i.IsActive != false) == true ? 1 : 0)
            .ThenBy(p => DateTimeOffset.TryParse(p.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : DateTimeOffset.MaxValue)
            .ThenBy(p => p.Id!.Length)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Linked SFCC customer {CustomerNo} to Omneo profile {ProfileId} by {Source}")]
    private static partial void LogLinked(ILogger logger, string customerNo, string profileId, string source);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "{Count} Omneo profiles share the email of SFCC customer {CustomerNo}; chose {ProfileId}")]
    private static partial void LogSeveralMatches(ILogger logger, string customerNo, int count, string profileId);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Merged Omneo profile {SourceProfileId} into {ProfileId} for SFCC customer {CustomerNo}")]
    private static partial void LogMerged(ILogger logger, string customerNo, string sourceProfileId, string profileId);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Dropped the link of SFCC customer {CustomerNo} to Omneo profile {ProfileId}: {Reason}")]
    private static partial void LogLinkDropped(ILogger logger, string customerNo, string profileId, string reason);
}
