using Microsoft.Extensions.Options;
using OmneoSfccBridge.CustomerAuth.Tokens;
using OmneoSfccBridge.Observability;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerAuth;

/// <summary>
/// Turns shopper credentials or an SFCC shopper token into an Omneo customer token. A refusal is null: whatever the
/// reason (unknown login, wrong password, forged or expired token), the caller answers the same.
/// </summary>
internal sealed partial class LoginService(
    SfccClient sfcc,
    SlasClient slas,
    OmneoClient omneo,
    ShopperTokenValidator tokens,
    ProfileLinker linker,
    CustomerLinkStore links,
    LoginRefreshQueue refreshQueue,
    IOptions<SfccOptions> sfccOptions,
    BridgeMetrics metrics,
    ILogger<LoginService> logger)
{
    public Task<LoginResponse?> LoginAsync(ShopperCredentials credentials, CancellationToken cancellationToken) => credentials switch
    {
        ShopperCredentials.Password p => CountedAsync(metrics, () => "basic", () => LoginWithPasswordAsync(p, cancellationToken)),
        ShopperCredentials.Token t => TokenLoginAsync(t.Raw, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(credentials)),
    };

    /// <summary>
    /// A Bearer login, counted under the scheme that vouched for the token (ocapi, slas). The token is parsed again only
    /// to name the kind of one that was not accepted, so a warm login (verdict cached) parses nothing. Written out rather
    /// than through <see cref="CountedAsync{T}"/>: this is the warm login's path, and its closures and async layers
    /// cost every login.
    /// </summary>
    private async Task<LoginResponse?> TokenLoginAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken)
    {
        string? scheme = null;
        try
        {
            var check = await tokens.ValidateAsync(token, cancellationToken);
            scheme = check.Identity?.Scheme;
            // A verdict that names a registered customer (every warm login) goes straight to the token, one async layer fewer.
            var result = check.Identity is { Guest: false, Customer: { } customer }
                ? await RegisteredAsync(customer, cancellationToken)
                : await LoginWithTokenAsync(token.ToString(), check, cancellationToken);
            metrics.Login(Kind(), Outcome(result));
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.Login(Kind(), FailureOutcome(ex));
            throw;
        }

        string Kind() => scheme ?? tokens.SchemeOf(token.ToString()) ?? "bearer";
    }

    /// <summary>Runs a login and counts it under the kind <paramref name="kindOf"/> names once it ends: ok, refused (null), upstream_failure or error.</summary>
    internal static async Task<T?> CountedAsync<T>(BridgeMetrics metrics, Func<string> kindOf, Func<Task<T?>> login)
        where T : class
    {
        try
        {
            var result = await login();
            metrics.Login(kindOf(), Outcome(result));
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.Login(kindOf(), FailureOutcome(ex));
            throw;
        }
    }

    private static string Outcome(object? result) => result is null ? "refused" : "ok";

    private static string FailureOutcome(Exception ex) => ex is UpstreamException ? "upstream_failure" : "error";

    private async Task<LoginResponse?> LoginWithPasswordAsync(ShopperCredentials.Password credentials, CancellationToken cancellationToken)
    {
        var login = await sfcc.LoginWithCredentialsAsync(credentials.Login, credentials.Secret, cancellationToken);
        if (login is null)
        {
            LogRefused(logger, "credentials");
            return null;
        }

        // SFCC just issued this token: a Bearer login with it right after costs no SFCC call.
        if (ShopperTokenExpiry.TryRead(login.Token) is { } exp && login.Customer.CustomerId is { } customerId)
        {
            tokens.Remember(login.Token, new ShopperIdentity(OcapiTokenScheme.SchemeName, customerId, false, exp, login.Customer));
        }

        return await RegisteredAsync(login.Customer, cancellationToken);
    }

    private async Task<LoginResponse?> LoginWithTokenAsync(string token, TokenCheck check, CancellationToken cancellationToken)
    {
        if (check.Identity is not { } shopper)
        {
            return null;
        }

        if (shopper.Guest)
        {
            var anonymous = await omneo.IssueCustomerTokenAsync(null, cancellationToken)
                ?? throw new UpstreamException(OmneoClient.Name, UpstreamFailure.BadResponse, "no anonymous token");
            LogGuest(logger, Fingerprint.Short(token));
            return new LoginResponse(anonymous.Token, anonymous.ExpiresAt.UtcDateTime, null, null, true);
        }

        var customer = shopper.Customer;
        if (customer is null)
        {
            // Verified locally: the token names the customer_id (a SLAS rcid) only. A known customer's link has it; else
            // ask SFCC once, with the shopper's own token (OCAPI Shop API or SCAPI Shopper Customers).
            var known = await links.FindBySfccCustomerIdAsync(sfccOptions.Value.CustomerListId, shopper.CustomerId, cancellationToken);
            customer = known is not null
                ? new SfccCustomer { CustomerId = shopper.CustomerId, CustomerNo = known.CustomerNo, AuthType = "registered" }
                : shopper.Scheme == SlasTokenScheme.SchemeName
                    ? await slas.GetCustomerWithTokenAsync(shopper.CustomerId, token, cancellationToken)
                    : await sfcc.GetCustomerWithTokenAsync(shopper.CustomerId, token, cancellationToken);
            if (customer is null || !customer.IsRegistered || string.IsNullOrEmpty(customer.CustomerNo) || customer.CustomerId != shopper.CustomerId)
            {
                LogRefused(logger, "token of an unknown customer");
                return null;
            }

            tokens.Remember(token, shopper with { Customer = customer });
            return await RegisteredAsync(customer, cancellationToken, known);
        }

        return await RegisteredAsync(customer, cancellationToken);
    }

    /// <summary>
    /// A registered customer SFCC (or a signed storefront) vouched for: the linked profile's Omneo token.
    /// <paramref name="knownLink"/> is the link the caller read already (the storefront login), so it is not read twice.
    /// </summary>
    internal async Task<LoginResponse> RegisteredAsync(SfccCustomer customer, CancellationToken cancellationToken, CustomerLink? knownLink = null)
    {
        var link = knownLink ?? (await linker.ResolveForLoginAsync(customer, cancellationToken)).LinkOrThrow();
        var token = await omneo.IssueCustomerTokenAsync(link.ProfileId, cancellationToken);
        if (token is null)
        {
            // The linked profile is gone (deleted or merged away in Omneo): forget it and find the live one, once.
            await linker.ForgetAsync(link, "Omneo refused a token for the linked profile", cancellationToken);
            link = (await linker.ResolveAsync(customer.Email is null && customer.FirstName is null ? await FullCustomerAsync(customer, cancellationToken) : customer, cancellationToken)).LinkOrThrow();
            token = await omneo.IssueCustomerTokenAsync(link.ProfileId, cancellationToken)
                ?? throw new UpstreamException(OmneoClient.Name, UpstreamFailure.BadResponse, "no token for a freshly linked profile");
        }

        if (customer.CustomerId is { } customerId && link.SfccCustomerId != customerId)
        {
            await links.RememberSfccCustomerIdAsync(link.CustomerListId, link.CustomerNo, customerId, cancellationToken);
        }

        refreshQueue.CustomerLoggedIn(link);
        return new LoginResponse(token.Token, token.ExpiresAt.UtcDateTime, link.ProfileId, link.CustomerNo, false);
    }

    private async Task<SfccCustomer> FullCustomerAsync(SfccCustomer customer, CancellationToken cancellationToken) =>
        await sfcc.GetCustomerByNumberAsync(customer.CustomerNo!, cancellationToken) ?? customer;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Login refused ({Kind})")]
    private static partial void LogRefused(ILogger logger, string kind);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Guest login with token {TokenFingerprint}")]
    private static partial void LogGuest(ILogger logger, string tokenFingerprint);
}
