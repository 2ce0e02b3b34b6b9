using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// SFCC (Account Manager, OCAPI Shop API, Data API) and Omneo (admin and ID API) as one fast Kestrel process on
// loopback: canned answers where the bridge only needs a shape, in-memory state where a later call must see an
// earlier one (profiles, identities). Logging is off; nothing here should cost more than the JSON it writes.
// Customers are generated, not stored: customer i is customer_no B{i:D8}, customer_id bc{i:D8}, created i seconds
// after 2020-01-01, so the Data API search can answer any keyset page by arithmetic.
// Usage: dotnet FastStub.dll --urls http://127.0.0.1:PORT [--customers N] [--latency MS]
// Control: POST /_reset?customers=N&latency=MS (forget Omneo state), GET /_stats (calls per route), POST /_stats/reset,
// GET /_ocapi-token?customer=i (a fresh OCAPI-shaped shopper token of customer i), GET /_slas-token?customer=i (a SLAS
// access token of customer i, ES256 with the stub's own key, whose JWKS the stub serves).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var state = new StubState(
    int.Parse(app.Configuration["customers"] ?? "0", CultureInfo.InvariantCulture),
    int.Parse(app.Configuration["latency"] ?? "0", CultureInfo.InvariantCulture));

var accountManagerToken = Encoding.UTF8.GetBytes("""{"access_token":"bench-account-manager-token","token_type":"Bearer","expires_in":1799}""");
var omneoAdminToken = Encoding.UTF8.GetBytes("""{"access_token":"bench-omneo-admin-token","token_type":"Bearer","expires_in":3600}""");
var customerToken = Encoding.UTF8.GetBytes($$$"""{"data":{"token":"eyJhbGciOiJIUzI1NiJ9.eyJwaWQiOiIxIn0.YmVuY2g","exp":{{{DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeSeconds()}}}}}""");
var emptyPage = Encoding.UTF8.GetBytes("""{"data":[],"links":{},"meta":{"current_page":1,"last_page":1,"per_page":50,"total":0}}""");
var notFound = Encoding.UTF8.GetBytes("""{"message":"Not found."}""");

app.MapPost("/_reset", (int? customers, int? latency) =>
{
    state.Reset(customers ?? state.Customers, latency ?? state.LatencyMs);
    return Results.Ok();
});
app.MapGet("/_stats", () => Results.Json(state.Stats()));
app.MapPost("/_stats/reset", () =>
{
    state.ResetStats();
    return Results.Ok();
});

app.MapGet("/_ocapi-token", (int customer) => Results.Text(StubState.OcapiToken(StubState.CustomerId(customer), guest: false)));
app.MapGet("/_slas-token", (int customer) => Results.Text(Slas.Token(customer)));

// SLAS's key set and the Shopper Customers API. The customer read does not check the shopper's token: the bridge has
// verified it already, and the bench measures the bridge, not the stub.
var jwks = Slas.Jwks();
app.MapGet($"/shopper/auth/v1/organizations/{Slas.OrganizationId}/oauth2/jwks", async () =>
{
    await state.HitAsync(Route.SlasJwks);
    return new JsonBytes(jwks);
});
app.MapGet($"/customer/shopper-customers/v1/organizations/{Slas.OrganizationId}/customers/{{customerId}}", async (string customerId) =>
{
    await state.HitAsync(Route.ShopperCustomerGet);
    return StubState.IndexOf(customerId, "bc") is { } i ? new JsonBytes(Slas.Customer(i)) : new JsonBytes(notFound, 404);
});

// Account Manager (the configured Sfcc:AccountManagerTokenUrl is this path on the stub).
app.MapPost("/dw/oauth2/access_token", async () =>
{
    await state.HitAsync(Route.AccountManagerToken);
    return new JsonBytes(accountManagerToken);
});

// Data API.
app.MapPost("/s/-/dw/data/{version}/customer_lists/{list}/customer_search", async (HttpRequest request) =>
{
    await state.HitAsync(Route.CustomerSearch);
    using var query = await JsonDocument.ParseAsync(request.Body);
    return new JsonBytes(state.Search(query.RootElement));
});
app.MapGet("/s/-/dw/data/{version}/customer_lists/{list}/customers/{customerNo}", async (string customerNo) =>
{
    await state.HitAsync(Route.DataCustomerGet);
    return StubState.IndexOf(customerNo, "B") is { } i ? new JsonBytes(state.Customer(i, shop: false)) : new JsonBytes(notFound, 404);
});
app.MapMethods("/s/-/dw/data/{version}/customer_lists/{list}/customers/{customerNo}", ["PATCH"], async (string customerNo) =>
{
    await state.HitAsync(Route.DataCustomerPatch);
    return StubState.IndexOf(customerNo, "B") is { } i ? new JsonBytes(state.Customer(i, shop: false)) : new JsonBytes(notFound, 404);
});

// OCAPI Shop API: a credentials login is customer 0; a token's customer_id bc{i} is customer i.
app.MapPost("/s/{site}/dw/shop/{version}/customers/auth", async (HttpRequest request, HttpResponse response) =>
{
    await state.HitAsync(Route.ShopAuth);
    using var body = await JsonDocument.ParseAsync(request.Body);
    var guest = body.RootElement.TryGetProperty("type", out var type) && type.GetString() == "guest";
    response.Headers.Authorization = "Bearer " + StubState.OcapiToken(guest ? "guest0001" : StubState.CustomerId(0), guest);
    return new JsonBytes(guest ? Encoding.UTF8.GetBytes("""{"auth_type":"guest","customer_id":"guest0001"}""") : state.Customer(0, shop: true));
});
app.MapGet("/s/{site}/dw/shop/{version}/customers/{customerId}", async (string customerId) =>
{
    await state.HitAsync(Route.ShopCustomerGet);
    return StubState.IndexOf(customerId, "bc") is { } i ? new JsonBytes(state.Customer(i, shop: true)) : new JsonBytes(notFound, 404);
});

// Omneo admin API.
app.MapPost("/api/v3/auth/token", async () =>
{
    await state.HitAsync(Route.OmneoAdminToken);
    return new JsonBytes(omneoAdminToken);
});
app.MapPost("/api/v3/profiles/search-id", async (HttpRequest request) =>
{
    await state.HitAsync(Route.OmneoSearchId);
    using var body = await JsonDocument.ParseAsync(request.Body);
    var id = body.RootElement.GetProperty("id").GetString() ?? "";
    return state.ProfileByIdentity(id) is { } profile ? new JsonBytes(profile) : new JsonBytes(notFound, 404);
});
app.MapGet("/api/v3/profiles", async (HttpRequest request) =>
{
    await state.HitAsync(Route.OmneoEmailSearch);
    var email = request.Query["filter[email]"].ToString();
    return state.ProfilesByEmail(email) is { } page ? new JsonBytes(page) : new JsonBytes(emptyPage);
});
app.MapPost("/api/v3/profiles", async (HttpRequest request) =>
{
    await state.HitAsync(Route.OmneoCreate);
    var input = (await JsonNode.ParseAsync(request.Body))!.AsObject();
    var (body, status) = state.Create(input);
    return new JsonBytes(body, status);
});
app.MapPost("/api/v3/profiles/{profileId}/identities", async (string profileId, HttpRequest request) =>
{
    await state.HitAsync(Route.OmneoIdentities);
    var input = (await JsonNode.ParseAsync(request.Body))!.AsObject();
    var (body, status) = state.AddIdentity(profileId, input);
    return new JsonBytes(body, status);
});
app.MapGet("/api/v3/profiles/{profileId}", async (string profileId) =>
{
    await state.HitAsync(Route.OmneoGet);
    return state.Profile(profileId) is { } profile ? new JsonBytes(profile) : new JsonBytes(notFound, 404);
});
app.MapPut("/api/v3/profiles/{profileId}", async (string profileId, HttpRequest request) =>
{
    await state.HitAsync(Route.OmneoPut);
    var input = (await JsonNode.ParseAsync(request.Body))!.AsObject();
    return state.Update(profileId, input) is { } profile ? new JsonBytes(profile) : new JsonBytes(notFound, 404);
});
app.MapGet("/api/v3/webhooks", async () =>
{
    await state.HitAsync(Route.OmneoWebhooks);
    return new JsonBytes(emptyPage);
});

// Omneo ID API: the customer token, canned (the bridge checks only that it has a token and an exp).
app.MapPost("/id/api/v1/auth/token", async () =>
{
    await state.HitAsync(Route.OmneoCustomerToken);
    return new JsonBytes(customerToken);
});

app.MapFallback(async (HttpContext context) =>
{
    await state.HitAsync(Route.Unknown);
    context.Response.StatusCode = 404;
});

app.Run();

internal sealed class JsonBytes(byte[] body, int status = 200) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}

internal enum Route
{
    AccountManagerToken,
    CustomerSearch,
    DataCustomerGet,
    DataCustomerPatch,
    ShopAuth,
    ShopCustomerGet,
    OmneoAdminToken,
    OmneoSearchId,
    OmneoEmailSearch,
    OmneoCreate,
    OmneoIdentities,
    OmneoGet,
    OmneoPut,
    OmneoWebhooks,
    OmneoCustomerToken,
    SlasJwks,
    ShopperCustomerGet,
    Unknown,
}

internal sealed class StubState(int customers, int latencyMs)
{
    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly long[] _hits = new long[Enum.GetValues<Route>().Length];
    private readonly object _gate = new();
    private Dictionary<string, JsonObject> _profiles = new(StringComparer.Ordinal);
    private Dictionary<string, string> _byIdentity = new(StringComparer.Ordinal);
    private Dictionary<string, List<string>> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId;

    public int Customers { get; private set; } = customers;

    public int LatencyMs { get; private set; } = latencyMs;

    public static string CustomerNo(int i) => "B" + i.ToString("D8", CultureInfo.InvariantCulture);

    public static string CustomerId(int i) => "bc" + i.ToString("D8", CultureInfo.InvariantCulture);

    public static int? IndexOf(string id, string prefix) =>
        id.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>An OCAPI-shaped JWT (header, payload, a signature nobody can check), issued by <c>bench-client</c>.</summary>
    public static string OcapiToken(string customerId, bool guest)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var sub = JsonSerializer.Serialize(new { _v = "1", customer_info = new { customer_id = customerId, guest } });
        var payload = JsonSerializer.Serialize(new { _v = "1", exp = now + 1800, iat = now, iss = "bench-client", sub });
        return B64("""{"_v":"1","alg":"HS256","typ":"JWT"}""") + "." + B64(payload) + "." + B64("bench-signature-" + Guid.NewGuid().ToString("N"));

        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public Task HitAsync(Route route)
    {
        Interlocked.Increment(ref _hits[(int)route]);
        return LatencyMs > 0 ? Task.Delay(LatencyMs) : Task.CompletedTask;
    }

    public Dictionary<string, long> Stats() =>
        Enum.GetValues<Route>().ToDictionary(r => r.ToString(), r => Interlocked.Read(ref _hits[(int)r]));

    public void ResetStats() => Array.Clear(_hits);

    public void Reset(int count, int latency)
    {
        lock (_gate)
        {
            Customers = count;
            LatencyMs = latency;
            _profiles = new(StringComparer.Ordinal);
            _byIdentity = new(StringComparer.Ordinal);
            _byEmail = new(StringComparer.OrdinalIgnoreCase);
            _nextId = 0;
        }

        ResetStats();
    }

    /// <summary>Customer i as OCAPI writes it; the Shop API adds auth_type.</summary>
    public byte[] Customer(int i, bool shop)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCustomer(writer, i, shop);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// <c>customer_search</c> as the bridge uses it: match_all, or a range_filter from a creation_date/last_modified
    /// (both are i seconds after the epoch here), sorted by that field then customer_no, <c>start</c> and <c>count</c>.
    /// </summary>
    public byte[] Search(JsonElement query)
    {
        var first = 0;
        if (query.GetProperty("query").TryGetProperty("filtered_query", out var filtered)
            && filtered.GetProperty("filter").GetProperty("range_filter").GetProperty("from").GetString() is { } from)
        {
            var seconds = (DateTimeOffset.Parse(from, CultureInfo.InvariantCulture) - Epoch).TotalSeconds;
            first = (int)Math.Clamp(Math.Ceiling(seconds), 0, Customers);
        }

        var start = query.TryGetProperty("start", out var s) ? s.GetInt32() : 0;
        var count = query.TryGetProperty("count", out var c) ? c.GetInt32() : 25;
        var begin = Math.Min(first + start, Customers);
        var end = Math.Min(begin + count, Customers);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("_v", "23.2");
            writer.WriteNumber("count", end - begin);
            writer.WriteStartArray("hits");
            for (var i = begin; i < end; i++)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("data");
                WriteCustomer(writer, i, shop: false);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("start", start);
            writer.WriteNumber("total", Customers - first);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public byte[]? ProfileByIdentity(string identifier)
    {
        lock (_gate)
        {
            return _byIdentity.TryGetValue(identifier, out var id) ? Envelope(_profiles[id]) : null;
        }
    }

    public byte[]? ProfilesByEmail(string email)
    {
        lock (_gate)
        {
            if (!_byEmail.TryGetValue(email, out var ids))
            {
                return null;
            }

            var data = new JsonArray([.. ids.Select(id => (JsonNode)_profiles[id].DeepClone())]);
            return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["data"] = data, ["meta"] = new JsonObject { ["current_page"] = 1, ["last_page"] = 1, ["per_page"] = 50, ["total"] = ids.Count } });
        }
    }

    public (byte[] Body, int Status) Create(JsonObject input)
    {
        lock (_gate)
        {
            var email = input["email"]?.GetValue<string>();
            if (email is not null && _byEmail.ContainsKey(email))
            {
                return (Encoding.UTF8.GetBytes("""{"message":"The given data was invalid.","errors":{"email":["The email has already been taken."]}}"""), 422);
            }

            var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            input["id"] = id;
            input["identities"] = new JsonArray();
            input["created_at"] = now;
            input["updated_at"] = now;
            _profiles[id] = input;
            if (email is not null)
            {
                _byEmail[email] = [id];
            }

            return (Envelope(input), 201);
        }
    }

    public (byte[] Body, int Status) AddIdentity(string profileId, JsonObject identity)
    {
        lock (_gate)
        {
            var identifier = identity["identifier"]?.GetValue<string>() ?? "";
            if (!_profiles.TryGetValue(profileId, out var profile))
            {
                return (Encoding.UTF8.GetBytes("""{"message":"Not found."}"""), 404);
            }

            if (_byIdentity.TryGetValue(identifier, out var holder) && holder != profileId)
            {
                return (Encoding.UTF8.GetBytes("""{"message":"The given data was invalid.","errors":{"identifier":["The identifier has already been taken."]}}"""), 422);
            }

            _byIdentity[identifier] = profileId;
            profile["identities"]!.AsArray().Add(identity.DeepClone());
            return (JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["data"] = identity }), 201);
        }
    }

    public byte[]? Profile(string profileId)
    {
        lock (_gate)
        {
            return _profiles.TryGetValue(profileId, out var profile) ? Envelope(profile) : null;
        }
    }

    public byte[]? Update(string profileId, JsonObject input)
    {
        lock (_gate)
        {
            if (!_profiles.TryGetValue(profileId, out var profile))
            {
                return null;
            }

            foreach (var (key, value) in input)
            {
                profile[key] = value?.DeepClone();
            }

            profile["updated_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return Envelope(profile);
        }
    }

    private static byte[] Envelope(JsonObject profile) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["data"] = profile.DeepClone() });

    private static void WriteCustomer(Utf8JsonWriter writer, int i, bool shop)
    {
        var at = Epoch.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var email = "bench" + i.ToString(CultureInfo.InvariantCulture) + "@example.com";
        writer.WriteStartObject();
        if (shop)
        {
            writer.WriteString("auth_type", "registered");
        }

        writer.WriteString("customer_id", CustomerId(i));
        writer.WriteString("customer_no", CustomerNo(i));
        writer.WriteString("login", email);
        writer.WriteString("email", email);
        writer.WriteString("first_name", "Bench");
        writer.WriteString("last_name", "Customer" + i.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("creation_date", at);
        writer.WriteString("last_modified", at);
        writer.WriteEndObject();
    }
}
