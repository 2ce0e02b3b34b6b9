using System.Text.Json;
using System.Threading.RateLimiting;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>
/// A signed storefront login: the verified request, the per-key limit, then the customer. A customer the bridge has
/// linked costs no SFCC call (the storefront vouches, the link names the profile), so a warm login asks only Omneo
/// for the token; an unlinked one is read from the Data API once and linked by <see cref="ProfileLinker"/>, exactly as
/// a credentials login would be.
/// </summary>
internal sealed partial class StorefrontLoginService(
    StorefrontRequestVerifier verifier,
    StorefrontKeyRateLimiter limiter,
    ProfileLinker linker,
    SfccClient sfcc,
    LoginService logins,
    Observability.BridgeMetrics metrics,
    ILogger<StorefrontLoginService> logger)
{
    private const string Kind = "storefront";

    /// <summary>
    /// Counted as a <c>storefront</c> login (ok, refused, upstream_failure); a request over the per-key limit is not a
    /// login, like one the /login rate limiter turns away.
    /// </summary>
    public async Task<StorefrontOutcome> LoginAsync(string? keyId, string? signature, ReadOnlyMemory<byte> body, JsonElement document, CancellationToken cancellationToken)
    {
        StorefrontOutcome outcome;
        try
        {
            outcome = await AttemptAsync(keyId, signature, body, document, cancellationToken);
        }
        catch (Upstreams.UpstreamException)
        {
            metrics.Login(Kind, "upstream_failure");
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.Login(Kind, "error");
            throw;
        }

        if (outcome is not StorefrontOutcome.Limited)
        {
            metrics.Login(Kind, outcome is StorefrontOutcome.Accepted ? "ok" : "refused");
        }

        return outcome;
    }

    private async Task<StorefrontOutcome> AttemptAsync(string? keyId, string? signature, ReadOnlyMemory<byte> body, JsonElement document, CancellationToken cancellationToken)
    {
        var (verified, refusal, knownKeyId) = verifier.Verify(keyId, signature, body.Span, document);
        if (verified is null)
        {
            // Only an id that is configured is logged: anything else is the caller's text.
            LogRefused(logger, refusal, knownKeyId ?? "(unknown)");
            return new StorefrontOutcome.Refused();
        }

        // Counted once the signature holds, so no one without the secret can spend a storefront's permits.
        using var lease = limiter.Acquire(verified.KeyId);
        if (!lease.IsAcquired)
        {
            LogLimited(logger, verified.KeyId);
            return new StorefrontOutcome.Limited(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10));
        }

        var (customer, link) = await CustomerAsync(verified.CustomerNo, cancellationToken);
        if (customer is null)
        {
            LogRefused(logger, StorefrontRefusal.UnknownCustomer, verified.KeyId);
            return new StorefrontOutcome.Refused();
        }

        var login = await logins.RegisteredAsync(customer, cancellationToken, link);
        LogAccepted(logger, verified.KeyId, login.CustomerNo);
        return new StorefrontOutcome.Accepted(login);
    }

    /// <summary>The customer, from the stored link when linked (no SFCC call, and the link is not read again), else from SFCC once.</summary>
    private async Task<(SfccCustomer? Customer, CustomerLink? Link)> CustomerAsync(string customerNo, CancellationToken cancellationToken)
    {
        if (await linker.FindLinkAsync(customerNo, cancellationToken) is { } link)
        {
            return (new SfccCustomer { CustomerNo = link.CustomerNo, CustomerId = link.SfccCustomerId, AuthType = "registered" }, link);
        }

        var customer = await sfcc.GetCustomerByNumberAsync(customerNo, cancellationToken);
        return (customer is not null && string.Equals(customer.CustomerNo, customerNo, StringComparison.Ordinal) ? customer : null, null);
    }

    [LoggerMessage(EventId = 1051, Level = LogLevel.Information, Message = "Storefront login refused ({Refusal}) for key {KeyId}")]
    private static partial void LogRefused(ILogger logger, StorefrontRefusal refusal, string keyId);

    [LoggerMessage(EventId = 1052, Level = LogLevel.Warning, Message = "Storefront login over the per-key limit for key {KeyId}")]
    private static partial void LogLimited(ILogger logger, string keyId);

    [LoggerMessage(EventId = 1053, Level = LogLevel.Debug, Message = "Storefront login for SFCC customer {CustomerNo} signed with key {KeyId}")]
    private static partial void LogAccepted(ILogger logger, string keyId, string? customerNo);
}
