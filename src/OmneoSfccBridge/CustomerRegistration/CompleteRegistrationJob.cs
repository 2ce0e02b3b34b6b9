using Hangfire;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>
/// Completes the Omneo side of a registration that SFCC accepted while Omneo was unavailable: links (or creates,
/// or merges) the profile exactly as <c>/create</c> would have. Takes ids only and is safe to run twice: a customer
/// already linked (by an earlier run, or by their first <c>/login</c>) only gets the conversion record completed.
/// Retried by Hangfire with growing delays (about a day in all) until Omneo answers.
/// </summary>
public sealed partial class CompleteRegistrationJob
{
    private readonly SfccClient _sfcc;
    private readonly ProfileLinker _linker;
    private readonly CustomerLinkStore _links;
    private readonly ConversionLog _conversions;
    private readonly AuditLog _audit;
    private readonly ILogger<CompleteRegistrationJob> _logger;

    internal CompleteRegistrationJob(SfccClient sfcc, ProfileLinker linker, CustomerLinkStore links, ConversionLog conversions, AuditLog audit, ILogger<CompleteRegistrationJob> logger)
    {
        _sfcc = sfcc;
        _linker = linker;
        _links = links;
        _conversions = conversions;
        _audit = audit;
        _logger = logger;
    }

    [AutomaticRetry(Attempts = 12, DelaysInSeconds = [2, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400])]
    [JobDisplayName("Link the Omneo profile of newly registered SFCC customer {1}")]
    public async Task RunAsync(string customerListId, string customerNo, CancellationToken cancellationToken)
    {
        var link = await _links.FindAsync(customerListId, customerNo, cancellationToken);
        if (link is null)
        {
            var customer = await _sfcc.GetCustomerByNumberAsync(customerNo, cancellationToken);
            if (customer is null)
            {
                LogCustomerGone(_logger, customerNo);
                return;
            }

            link = (await _linker.ResolveRegisteredAsync(customer, cancellationToken)).LinkOrThrow();
        }

        if (await _conversions.MarkLinkedAsync(customerListId, customerNo, link.ProfileId, cancellationToken))
        {
            await _audit.RecordAsync("conversion.linked", customerListId, customerNo, link.ProfileId, "Omneo link completed in the background", cancellationToken);
            LogCompleted(_logger, customerNo, link.ProfileId);
        }
    }

    [LoggerMessage(EventId = 1551, Level = LogLevel.Warning, Message = "SFCC customer {CustomerNo} no longer exists; no Omneo link to complete")]
    private static partial void LogCustomerGone(ILogger logger, string customerNo);

    [LoggerMessage(EventId = 1552, Level = LogLevel.Information, Message = "Completed the Omneo link of SFCC customer {CustomerNo} to profile {ProfileId}")]
    private static partial void LogCompleted(ILogger logger, string customerNo, string profileId);
}
