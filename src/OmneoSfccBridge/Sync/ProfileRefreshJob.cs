using Hangfire;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

/// <summary>
/// Brings one linked customer's Omneo profile up to date from their SFCC customer document (Data API). Takes ids
/// only, and is safe to run twice: an unchanged customer (same hash as last written) costs no Omneo write.
/// </summary>
public sealed partial class ProfileRefreshJob
{
    private readonly SfccClient _sfcc;
    private readonly OmneoClient _omneo;
    private readonly CustomerLinkStore _links;
    private readonly AuditLog _audit;
    private readonly ILogger<ProfileRefreshJob> _logger;

    internal ProfileRefreshJob(SfccClient sfcc, OmneoClient omneo, CustomerLinkStore links, AuditLog audit, ILogger<ProfileRefreshJob> logger)
    {
        _sfcc = sfcc;
        _omneo = omneo;
        _links = links;
        _audit = audit;
        _logger = logger;
    }

    [AutomaticRetry(Attempts = 8)]
    [JobDisplayName("Refresh Omneo profile of SFCC customer {1}")]
    public async Task RunAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        var link = await _links.FindAsync(customerListId, customerNo, cancellationToken);
        if (link is null)
        {
            return;
        }

        var customer = await _sfcc.GetCustomerByNumberAsync(customerNo, cancellationToken);
        if (customer is null)
        {
            LogCustomerGone(_logger, customerNo);
            return;
        }

        var input = ProfileMapping.FromSfcc(customer);
        var hash = ProfileMapping.Hash(input);
        if (hash == link.SfccStateHash)
        {
            await _links.MarkRefreshedAsync(customerListId, customerNo, hash, cancellationToken);
            return;
        }

        var (_, rejected, notFound) = await _omneo.UpdateProfileAsync(link.ProfileId, input, cancellationToken);
        if (notFound)
        {
            // The next login relinks; nothing to write until then.
            LogProfileGone(_logger, customerNo, link.ProfileId);
            return;
        }

        if (rejected is not null)
        {
            var fields = string.Join(",", rejected.Errors.Keys.Order(StringComparer.Ordinal));
            await _audit.RecordAsync("refresh.rejected", customerListId, customerNo, link.ProfileId, $"Omneo refused fields: {fields}", cancellationToken);
            LogRejected(_logger, customerNo, fields);
            return;
        }

        await _links.MarkRefreshedAsync(customerListId, customerNo, hash, cancellationToken);
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "SFCC customer {CustomerNo} no longer exists; nothing to refresh")]
    private static partial void LogCustomerGone(ILogger logger, string customerNo);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Omneo profile {ProfileId} of SFCC customer {CustomerNo} no longer exists")]
    private static partial void LogProfileGone(ILogger logger, string customerNo, string profileId);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Omneo refused fields {Fields} of SFCC customer {CustomerNo}; set aside until the customer changes again")]
    private static partial void LogRejected(ILogger logger, string customerNo, string fields);
}
