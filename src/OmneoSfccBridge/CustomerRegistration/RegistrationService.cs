using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.CustomerAuth.Tokens;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>
/// Registers a guest in SFCC and links the new customer to exactly one Omneo profile. Work on one login or email is
/// serialised (across instances on PostgreSQL), so concurrent attempts make one SFCC customer: the others get
/// SFCC's "login in use". SFCC is the system of record: once it has registered the customer the answer is 201, and
/// if Omneo is down then <see cref="CompleteRegistrationJob"/> finishes the link later.
/// </summary>
internal sealed partial class RegistrationService(
    SfccClient sfcc,
    ShopperTokenValidator tokens,
    ProfileLinker linker,
    CustomerLocks locks,
    IdempotencyStore idempotency,
    IdempotencyFingerprint fingerprints,
    ConversionLog conversions,
    AuditLog audit,
    IBackgroundJobClient jobs,
    IOptions<SfccOptions> sfccOptions,
    Observability.BridgeMetrics metrics,
    ILogger<RegistrationService> logger)
{
    private string ListId => sfccOptions.Value.CustomerListId;

    public async Task<RegistrationOutcome> RegisterAsync(string guestToken, RegistrationForm form, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // OCAPI guests only: a SLAS site registers through SLAS and the Shopper Customers API, and its first /login links.
        var check = await tokens.ValidateAsync(guestToken.AsMemory(), OcapiTokenScheme.SchemeName, cancellationToken);
        if (check.Identity is not { } shopper)
        {
            return new RegistrationOutcome.TokenRefused();
        }

        if (!shopper.Guest)
        {
            LogNotGuest(logger, Fingerprint.Short(guestToken));
            return new RegistrationOutcome.NotGuest();
        }

        var held = new List<IAsyncDisposable>();
        try
        {
            foreach (var name in form.LockNames())
            {
                held.Add(await locks.AcquireAsync($"registration:{ListId}:{name}", cancellationToken));
            }

            if (idempotencyKey is null)
            {
                return await RegisterLockedAsync(guestToken, shopper.CustomerId, form, cancellationToken);
            }

            var guest = shopper.CustomerId;
            switch (await idempotency.ClaimAsync(guest, idempotencyKey, fingerprints.Of(guest, idempotencyKey, form), cancellationToken))
            {
                case IdempotencyClaim.Replay replay:
                    LogReplayed(logger, replay.Response.CustomerNo);
                    metrics.IdempotentReplay();
                    return new RegistrationOutcome.Created(replay.Response);
                case IdempotencyClaim.Mismatch:
                    return new RegistrationOutcome.KeyReused();
            }

            RegistrationOutcome? outcome = null;
            try
            {
                outcome = await RegisterLockedAsync(guestToken, shopper.CustomerId, form, cancellationToken);
                if (outcome is RegistrationOutcome.Created created)
                {
                    await idempotency.CompleteAsync(guest, idempotencyKey, created.Response, CancellationToken.None);
                }

                return outcome;
            }
            finally
            {
                if (outcome is not RegistrationOutcome.Created)
                {
                    await idempotency.ReleaseAsync(guest, idempotencyKey, CancellationToken.None);
                }
            }
        }
        finally
        {
            for (var i = held.Count - 1; i >= 0; i--)
            {
                await held[i].DisposeAsync();
            }
        }
    }

    private async Task<RegistrationOutcome> RegisterLockedAsync(string guestToken, string guestCustomerId, RegistrationForm form, CancellationToken cancellationToken)
    {
        var request = new OcapiRegistration(
            form.Password,
            new OcapiRegistrationCustomer(form.Login, form.Email, form.FirstName, form.LastName, form.Phone, form.Birthday));
        var registration = await sfcc.RegisterAsync(guestToken, request, cancellationToken);
        switch (registration.Error)
        {
            case SfccRegistrationError.TokenRefused:
                return new RegistrationOutcome.TokenRefused();
            case SfccRegistrationError.LoginTaken:
                LogLoginTaken(logger);
                return new RegistrationOutcome.LoginTaken();
            case SfccRegistrationError.PasswordRejected:
                return new RegistrationOutcome.PasswordRejected(registration.Reason);
            case SfccRegistrationError.Invalid:
                LogRejected(logger, registration.Reason ?? "no fault type");
                return new RegistrationOutcome.RejectedBySfcc();
        }

        var registered = registration.Customer!;
        var customer = new SfccCustomer
        {
            CustomerId = registered.CustomerId,
            CustomerNo = registered.CustomerNo,
            AuthType = "registered",
            Login = registered.Login ?? form.Login,
            Email = registered.Email ?? form.Email,
            FirstName = registered.FirstName ?? form.FirstName,
            LastName = registered.LastName ?? form.LastName,
            PhoneMobile = registered.PhoneMobile ?? form.Phone,
            Birthday = registered.Birthday ?? form.Birthday,
            Gender = registered.Gender,
        };
        var customerNo = customer.CustomerNo!;

        // From here on the SFCC customer exists: whatever else fails, the shopper gets their 201.
        await conversions.RecordAsync(ListId, customerNo, guestCustomerId, customer.CustomerId, CancellationToken.None);
        await audit.RecordAsync("conversion.registered", ListId, customerNo, null, $"guest {guestCustomerId} registered as customer_id {customer.CustomerId}", CancellationToken.None);
        LogRegistered(logger, customerNo);

        string? profileId = null;
        var linked = await linker.ResolveRegisteredAsync(customer, CancellationToken.None);
        if (linked is LinkResult.Linked { Link: var link })
        {
            profileId = link.ProfileId;
            await conversions.MarkLinkedAsync(ListId, customerNo, profileId, CancellationToken.None);
        }
        else
        {
            // Omneo failed or refused: the job links again with Hangfire's retries behind it.
            LogLinkDeferred(logger, customerNo, linked is LinkResult.UpstreamFailed failed ? failed.Problem.Failure : UpstreamFailure.BadResponse);
            try
            {
                jobs.Enqueue<CompleteRegistrationJob>(job => job.RunAsync(ListId, customerNo, CancellationToken.None));
            }
            catch (Exception enqueue) when (enqueue is not OperationCanceledException)
            {
                // The next /login links the profile anyway; the conversion row shows the link as pending meanwhile.
                LogEnqueueFailed(logger, enqueue, customerNo);
            }
        }

        return new RegistrationOutcome.Created(new CreateResponse(customerNo, profileId));
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Registered SFCC customer {CustomerNo}")]
    private static partial void LogRegistered(ILogger logger, string customerNo);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Registration refused: the login is already in use")]
    private static partial void LogLoginTaken(ILogger logger);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "SFCC refused a registration ({FaultType})")]
    private static partial void LogRejected(ILogger logger, string faultType);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "Omneo link of new SFCC customer {CustomerNo} deferred to a background job ({Failure})")]
    private static partial void LogLinkDeferred(ILogger logger, string customerNo, UpstreamFailure failure);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Error, Message = "Could not queue the Omneo link of new SFCC customer {CustomerNo}; the next login links it")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception, string customerNo);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Information, Message = "Registration refused: token {TokenFingerprint} is not a guest's")]
    private static partial void LogNotGuest(ILogger logger, string tokenFingerprint);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Information, Message = "Replayed the registration of SFCC customer {CustomerNo} for its Idempotency-Key")]
    private static partial void LogReplayed(ILogger logger, string customerNo);
}
