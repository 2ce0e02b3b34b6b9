using System.Text.Json;
using System.Text.RegularExpressions;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// WireMock.Net stand-ins for SFCC (Shop API, Data API, Account Manager on one server) and Omneo, answering as
/// docs/upstreams.md describes. Each test states only what it needs; every stub checks the credentials the real API would.
/// </summary>
public sealed partial class UpstreamStubs : IDisposable
{
    public const string SiteId = "TestSite";
    public const string ListId = "TestList";
    public const string ClientSecret = "test-client-secret";
    public const string OmneoAdminToken = "omneo-admin-token-for-tests";
    public const string DataApiToken = "data-api-token-for-tests";
    public const string WebhookSecret = "omneo-webhook-secret-for-tests";
    public const string EmailVerifiedAttribute = "c_emailVerified";

    public const string Shop = "/s/" + SiteId + "/dw/shop/v23_2";
    public const string Data = "/s/-/dw/data/v23_2";

    public WireMockServer Sfcc { get; } = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    public WireMockServer Omneo { get; } = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    public void Reset()
    {
        Sfcc.Reset();
        Omneo.Reset();
        Sfcc.Given(Request.Create().WithPath("/dw/oauth2/access_token").UsingPost())
            .RespondWith(Json(200, new { access_token = DataApiToken, token_type = "Bearer", expires_in = 1799 }));
    }

    public static IResponseBuilder Json(int status, object body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(body));

    public static IResponseBuilder Fault(int status, string type) =>
        Json(status, new { _v = "23.2", fault = new { type, message = "Fault from the stub." } });

    public static object Customer(string customerId, string customerNo, string email, string first = "Test", string last = "Shopper") => new
    {
        _v = "23.2",
        auth_type = "registered",
        customer_id = customerId,
        customer_no = customerNo,
        email,
        login = email,
        first_name = first,
        last_name = last,
        creation_date = "2024-01-02T03:04:05.000Z",
        last_modified = "2024-01-02T03:04:05.000Z",
    };

    /// <summary>A registered customer whose storefront verified the email (<see cref="EmailVerifiedAttribute"/> is true).</summary>
    public static object VerifiedCustomer(string customerId, string customerNo, string email, string first = "Test", string last = "Shopper")
    {
        var document = JsonSerializer.SerializeToNode(Customer(customerId, customerNo, email, first, last))!.AsObject();
        document[EmailVerifiedAttribute] = true;
        return document;
    }

    public static object GuestCustomer(string customerId) => new { _v = "23.2", auth_type = "guest", customer_id = customerId };

    public static object Profile(string id, string email, string createdAt = "2023-01-01 00:00:00", params (string Handle, string Identifier)[] identities) => new
    {
        id,
        email,
        first_name = "Test",
        last_name = "Shopper",
        created_at = createdAt,
        identities = identities.Select(i => new { handle = i.Handle, identifier = i.Identifier, is_primary = true, is_active = true }).ToArray(),
    };

    /// <summary>A credentials login SFCC accepts: the customer document in the body, the JWT in the Authorization header.</summary>
    public void SfccAcceptsCredentials(string login, string password, object customer, string token)
    {
        var basic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{login}:{password}"));
        Sfcc.Given(Request.Create().WithPath(Shop + "/customers/auth").UsingPost()
                .WithHeader("Authorization", basic)
                .WithHeader("x-dw-client-id", OcapiTokens.ClientId)
                .WithBody(new JsonPartialMatcher("""{"type":"credentials"}""")))
            .AtPriority(1)
            .RespondWith(Json(200, customer).WithHeader("Authorization", "Bearer " + token));
    }

    /// <summary>Every other credentials login fails as OCAPI's do.</summary>
    public void SfccRefusesOtherCredentials() =>
        Sfcc.Given(Request.Create().WithPath(Shop + "/customers/auth").UsingPost())
            .AtPriority(10)
            .RespondWith(Fault(401, "AuthenticationFailedException"));

    /// <summary>SFCC confirms this exact token belongs to this customer.</summary>
    public void SfccConfirmsToken(string token, string customerId, object customer) =>
        Sfcc.Given(Request.Create().WithPath($"{Shop}/customers/{customerId}").UsingGet()
                .WithHeader("Authorization", "Bearer " + token)
                .WithHeader("x-dw-client-id", OcapiTokens.ClientId))
            .AtPriority(1)
            .RespondWith(Json(200, customer));

    /// <summary>SFCC declines any token it was not told to confirm.</summary>
    public void SfccDeclinesOtherTokens() =>
        Sfcc.Given(Request.Create().WithPath(new RegexMatcher($"^{Shop}/customers/[^/]+$")).UsingGet())
            .AtPriority(10)
            .RespondWith(Fault(401, "InvalidAccessTokenException"));

    /// <summary>SFCC registers guests (<c>POST /customers</c>) with state, first customer_no <paramref name="firstCustomerNo"/>.</summary>
    public SfccRegistrations SfccRegistersGuests(int firstCustomerNo)
    {
        var registrations = new SfccRegistrations(firstCustomerNo);
        Sfcc.Given(Request.Create().WithPath(Shop + "/customers").UsingPost().WithHeader("x-dw-client-id", OcapiTokens.ClientId))
            .RespondWith(Response.Create().WithCallback(registrations.Answer));
        return registrations;
    }

    /// <summary>Omneo merges profiles: answers with the destination.</summary>
    public void OmneoMergesProfiles(string destinationId, string email) =>
        Omneo.Given(Request.Create().WithPath("/api/v3/profiles/merge").UsingPost()
                .WithHeader("Authorization", "Bearer " + OmneoAdminToken))
            .RespondWith(Json(200, new { data = Profile(destinationId, email) }));

    /// <summary>
    /// Every Omneo admin and ID API call answers 503, as during maintenance, above every other stub; call the returned
    /// action to end the outage, so the stubs set up meanwhile answer from then on.
    /// </summary>
    public Action OmneoIsDown()
    {
        var outage = Guid.NewGuid();
        Omneo.Given(Request.Create().WithPath(new RegexMatcher("^/(api/v3|id/api/v1)/.*")))
            .WithGuid(outage)
            .AtPriority(-100)
            .RespondWith(Json(503, new { message = "Maintenance" }));
        return () => Omneo.DeleteMapping(outage);
    }

    public void SfccDataApiHas(string customerNo, object customer) =>
        Sfcc.Given(Request.Create().WithPath($"{Data}/customer_lists/{ListId}/customers/{customerNo}").UsingGet()
                .WithHeader("Authorization", "Bearer " + DataApiToken))
            .RespondWith(Json(200, customer));

    /// <summary>Omneo mints a customer token for a profile id ("" for anonymous).</summary>
    public void OmneoIssuesTokens(long exp)
    {
        Omneo.Given(Request.Create().WithPath("/id/api/v1/auth/token").UsingPost()
                .WithHeader("Authorization", "Bearer " + OmneoAdminToken))
            .AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"data\":{\"token\":\"omneo-token-for-{{JsonPath.SelectToken request.body \"$.id\"}}\",\"exp\":" + exp + "}}")
                .WithTransformer());
    }

    public void OmneoFindsIdentity(string customerNo, object profile) =>
        Omneo.Given(Request.Create().WithPath("/api/v3/profiles/search-id").UsingPost()
                .WithHeader("Authorization", "Bearer " + OmneoAdminToken)
                .WithBody(new JsonMatcher(JsonSerializer.Serialize(new { type = "sfcc", id = customerNo }))))
            .AtPriority(1)
            .RespondWith(Json(200, new { data = profile }));

    public void OmneoFindsNoOtherIdentity() =>
        Omneo.Given(Request.Create().WithPath("/api/v3/profiles/search-id").UsingPost())
            .AtPriority(10)
            .RespondWith(Json(404, new { message = "Not found." }));

    public void OmneoEmailSearchReturns(string email, params object[] profiles) =>
        Omneo.Given(Request.Create().WithPath("/api/v3/profiles").UsingGet()
                .WithParam(query => query?.Any(q => Uri.UnescapeDataString(q.Key) == "filter[email]" && q.Value.Contains(email)) == true)
                .WithHeader("Authorization", "Bearer " + OmneoAdminToken))
            .RespondWith(Json(200, new { data = profiles, links = new { }, meta = new { current_page = 1, last_page = 1, per_page = 50, total = profiles.Length } }));

    public void OmneoCreatesProfile(string id, string email) =>
        Omneo.Given(Request.Create().WithPath("/api/v3/profiles").UsingPost()
                .WithHeader("Authorization", "Bearer " + OmneoAdminToken))
            .RespondWith(Json(201, new { data = Profile(id, email) }));

    public void OmneoAcceptsIdentities() =>
        Omneo.Given(Request.Create().WithPath(new RegexMatcher("^/api/v3/profiles/[^/]+/identities$")).UsingPost()
                .WithHeader("Authorization", "Bearer " + OmneoAdminToken))
            .RespondWith(Json(201, new { data = new { handle = "sfcc", identifier = "x", is_primary = true, is_active = true } }));

    public void OmneoAcceptsProfileUpdates() =>
        Omneo.Given(Request.Create().WithPath(new RegexMatcher("^/api/v3/profiles/[0-9A-Za-z-]+$")).UsingPut())
            .RespondWith(Json(200, new { data = Profile("any", "any@example.com") }));

    /// <summary>
    /// What a login asked of SFCC (Shop API) and Omneo (everything but the background profile refresh's Data API
    /// reads, profile reads and profile PUTs, which run on their own schedule; a login never reads a profile by id).
    /// </summary>
    public IReadOnlyList<string> LoginCalls() =>
    [
        .. Sfcc.LogEntries.Where(e => e.RequestMessage.Path.StartsWith(Shop, StringComparison.Ordinal)).Select(e => "sfcc " + e.RequestMessage.Path),
        .. Omneo.LogEntries.Where(e => e.RequestMessage.Method != "PUT" && !(e.RequestMessage.Method == "GET" && ProfileById().IsMatch(e.RequestMessage.Path)))
            .Select(e => "omneo " + e.RequestMessage.Path),
    ];

    /// <summary>Omneo answers GET /profiles/{id} with this profile.</summary>
    public void OmneoHasProfile(string id, object profile) =>
        Omneo.Given(Request.Create().WithPath($"/api/v3/profiles/{id}").UsingGet()
                .WithHeader("Authorization", "Bearer " + OmneoAdminToken))
            .RespondWith(Json(200, new { data = profile }));

    /// <summary>The Data API accepts any PATCH of this customer and answers with the given document.</summary>
    public void SfccDataApiAcceptsPatch(string customerNo, object customer) =>
        Sfcc.Given(Request.Create().WithPath($"{Data}/customer_lists/{ListId}/customers/{customerNo}").UsingPatch()
                .WithHeader("Authorization", "Bearer " + DataApiToken))
            .RespondWith(Json(200, customer));

    /// <summary>The Data API customer_search answers with these customers, as one page, whatever the query.</summary>
    public void SfccSearchReturns(params object[] customers) =>
        Sfcc.Given(Request.Create().WithPath($"{Data}/customer_lists/{ListId}/customer_search").UsingPost()
                .WithHeader("Authorization", "Bearer " + DataApiToken))
            .RespondWith(Json(200, new { count = customers.Length, start = 0, total = customers.Length, hits = customers.Select(c => new { data = c }).ToArray() }));

    /// <summary>The hex HMAC-SHA256 Omneo sends as X-Omneo-Hmac-SHA256.</summary>
    public static string Sign(string body, string secret = WebhookSecret) =>
        Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(body))).ToLowerInvariant();

    /// <summary>How many requests a server received on a path (and method).</summary>
    public static int Count(WireMockServer server, string path, string method = "POST") =>
        server.LogEntries.Count(e => e.RequestMessage.Path == path && e.RequestMessage.Method == method);

    public static IEnumerable<string> Bodies(WireMockServer server, string path) =>
        server.LogEntries.Where(e => e.RequestMessage.Path == path).Select(e => e.RequestMessage.Body ?? "");

    public void Dispose()
    {
        Sfcc.Stop();
        Omneo.Stop();
    }

    [GeneratedRegex("^/api/v3/profiles/[^/]+$")]
    private static partial Regex ProfileById();
}
