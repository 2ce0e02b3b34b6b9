using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WireMock;
using static OmneoSfccBridge.Sandbox.SandboxHttp;

namespace OmneoSfccBridge.Sandbox;

/// <summary>
/// A simulated SFCC: OCAPI Shop API customer auth and registration, the Data API's customer endpoints and Account
/// Manager, answering as <c>docs/upstreams.md</c> describes. Its OCAPI tokens are RS256-signed with a key made at start-up,
/// whose public half the bridge is configured with, so the sandbox also shows local signature verification.
/// </summary>
public sealed partial class SandboxSfcc : IDisposable
{
    public const string SiteId = "RefArch";
    public const string CustomerList = "RefArch";
    public const string ClientId = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string ClientSecret = "sandbox-client-secret";
    public const string Version = "23_2";

    /// <summary>The boolean custom attribute the sandbox's storefront sets once a shopper verified their email.</summary>
    public const string EmailVerifiedAttribute = "c_emailVerified";

    private readonly object _gate = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly Dictionary<string, SandboxCustomer> _byNo = new(StringComparer.Ordinal);
    private readonly HashSet<string> _guests = new(StringComparer.Ordinal);
    private readonly string _dataToken = "sandbox-am-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    private readonly TimeProvider _time;
    private readonly SandboxServer _server = new();
    private int _nextNo = 1001;

    public SandboxSfcc(TimeProvider time)
    {
        _time = time;
        var shop = $"/s/{SiteId}/dw/shop/v{Version}";
        var data = $"/s/-/dw/data/v{Version}";
        _server.Route("POST", shop + "/customers/auth", (r, _) => Authenticate(r));
        _server.Route("GET", shop + "/customers/(?<id>[^/]+)", (r, m) => GetCustomer(r, m.Groups["id"].Value));
        _server.Route("POST", shop + "/customers", (r, _) => Register(r));
        _server.Route("POST", "/dw/oauth2/access_token", (r, _) => AccountManagerToken(r));
        _server.Route("GET", data + "/customer_lists/(?<list>[^/]+)/customers/(?<no>[^/]+)", (r, m) => DataGet(r, m.Groups["list"].Value, m.Groups["no"].Value));
        _server.Route("PATCH", data + "/customer_lists/(?<list>[^/]+)/customers/(?<no>[^/]+)", (r, m) => DataPatch(r, m.Groups["list"].Value, m.Groups["no"].Value));
        _server.Route("POST", data + "/customer_lists/(?<list>[^/]+)/customer_search", (r, m) => DataSearch(r, m.Groups["list"].Value));
        RouteSlas();
    }

    public string Url => _server.Url;

    /// <summary>Added to every answer, as a remote upstream's round trip would be (default none).</summary>
    public TimeSpan Latency
    {
        get => _server.Latency;
        set => _server.Latency = value;
    }

    public string ShopUrl => $"{Url}/s/{SiteId}/dw/shop/v{Version}";

    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Adds a customer, created and last modified now, or at <paramref name="at"/> (one that existed before).</summary>
    public SandboxCustomer AddCustomer(string login, string password, string firstName, string lastName, string? phone = null, string? birthday = null, DateTimeOffset? at = null)
    {
        lock (_gate)
        {
            var now = at ?? _time.GetUtcNow();
            var customer = new SandboxCustomer
            {
                CustomerId = NewId(),
                CustomerNo = (_nextNo++).ToString("D8", CultureInfo.InvariantCulture),
                Login = login,
                Password = password,
                Email = login,
                FirstName = firstName,
                LastName = lastName,
                PhoneMobile = phone,
                Birthday = birthday,
                CreationDate = now,
                LastModified = now,
            };
            _byNo[customer.CustomerNo] = customer;
            return customer;
        }
    }

    public SandboxCustomer? FindByNumber(string customerNo)
    {
        lock (_gate)
        {
            return _byNo.GetValueOrDefault(customerNo);
        }
    }

    /// <summary>Changes a customer as a storefront edit would (bumps last_modified).</summary>
    public void Update(string customerNo, Action<SandboxCustomer> change)
    {
        lock (_gate)
        {
            var customer = _byNo[customerNo];
            change(customer);
            customer.LastModified = _time.GetUtcNow();
        }
    }

    /// <summary>Issues an OCAPI-shaped JWT for a customer (registered when <paramref name="guest"/> is false).</summary>
    public string IssueToken(string customerId, bool guest)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var sub = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["_v"] = "1",
            ["customer_info"] = new Dictionary<string, object> { ["customer_id"] = customerId, ["guest"] = guest, ["visit_id"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(13)).ToLowerInvariant() },
        });
        var header = Base64Url("{\"_v\":\"1\",\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        var payload = Base64Url(JsonSerializer.Serialize(new Dictionary<string, object> { ["_v"] = "1", ["exp"] = now + 1800, ["iat"] = now, ["iss"] = ClientId, ["sub"] = sub }));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }

    public string IssueGuestToken()
    {
        var id = NewId();
        lock (_gate)
        {
            _guests.Add(id);
        }

        return IssueToken(id, guest: true);
    }

    public void Dispose()
    {
        _server.Dispose();
        _key.Dispose();
        _slasKey.Dispose();
    }

    private static string Base64Url(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(19)).Replace('+', 'a').Replace('/', 'b').TrimEnd('=')[..26];

    private static WireMock.IResponseMessage Fault(int status, string type, string message) =>
        Json(status, new Dictionary<string, object> { ["_v"] = Version.Replace('_', '.'), ["fault"] = new { type, message } });

    /// <summary>The customer as the Data API shows it.</summary>
    public static object Document(SandboxCustomer c)
    {
        var document = CoreDocument(c);
        foreach (var (name, value) in c.Custom)
        {
            document[name] = value;
        }

        return document;
    }

    private static Dictionary<string, object?> CoreDocument(SandboxCustomer c) => new()
    {
        ["_v"] = Version.Replace('_', '.'),
        ["_type"] = "customer",
        ["auth_type"] = "registered",
        ["customer_id"] = c.CustomerId,
        ["customer_no"] = c.CustomerNo,
        ["login"] = c.Login,
        ["email"] = c.Email,
        ["first_name"] = c.FirstName,
        ["last_name"] = c.LastName,
        ["phone_mobile"] = c.PhoneMobile,
        ["birthday"] = c.Birthday,
        ["gender"] = c.Gender,
        ["creation_date"] = c.CreationDate.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["last_modified"] = c.LastModified.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
    };

    private bool ClientIdOk(IRequestMessage request) =>
        Header(request, "x-dw-client-id") == ClientId || Query(request, "client_id") == ClientId;

    /// <summary>The customer_id and guest flag of a valid token this sandbox issued, else null.</summary>
    private (string CustomerId, bool Guest)? Verify(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var signature = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
            if (!_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return null;
            }

            using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
            if (payload.RootElement.GetProperty("exp").GetInt64() <= _time.GetUtcNow().ToUnixTimeSeconds())
            {
                return null;
            }

            using var sub = JsonDocument.Parse(payload.RootElement.GetProperty("sub").GetString()!);
            var info = sub.RootElement.GetProperty("customer_info");
            return (info.GetProperty("customer_id").GetString()!, info.GetProperty("guest").GetBoolean());
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private WireMock.IResponseMessage Authenticate(IRequestMessage request)
    {
        if (!ClientIdOk(request))
        {
            return Fault(400, "InvalidClientIdException", "The client id is missing or unknown.");
        }

        switch (Str(Body(request), "type"))
        {
            case "guest":
                var guestToken = IssueGuestToken();
                var guestId = Verify(guestToken)!.Value.CustomerId;
                return Json(200, new Dictionary<string, object> { ["_v"] = "23.2", ["auth_type"] = "guest", ["customer_id"] = guestId }, ("Authorization", "Bearer " + guestToken));
            case "credentials":
                var header = Header(request, "Authorization") ?? "";
                string decoded;
                try
                {
                    decoded = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())) : "";
                }
                catch (FormatException)
                {
                    decoded = "";
                }

                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                SandboxCustomer? customer = null;
                if (colon > 0)
                {
                    var (login, password) = (decoded[..colon], decoded[(colon + 1)..]);
                    lock (_gate)
                    {
                        customer = _byNo.Values.FirstOrDefault(c => string.Equals(c.Login, login, StringComparison.OrdinalIgnoreCase) && c.Password == password);
                    }
                }

                return customer is null
                    ? Fault(401, "AuthenticationFailedException", "Authentication failed.")
                    : Json(200, Document(customer), ("Authorization", "Bearer " + IssueToken(customer.CustomerId, guest: false)));
            case "refresh":
                return Verify(Bearer(request)) is { } who
                    ? Json(200, new Dictionary<string, object> { ["customer_id"] = who.CustomerId, ["auth_type"] = who.Guest ? "guest" : "registered" }, ("Authorization", "Bearer " + IssueToken(who.CustomerId, who.Guest)))
                    : Fault(401, "InvalidAccessTokenException", "The access token is invalid.");
            default:
                return Fault(400, "InvalidCustomerAuthTypeException", "Unknown auth type.");
        }
    }

    private WireMock.IResponseMessage GetCustomer(IRequestMessage request, string customerId)
    {
        if (Verify(Bearer(request)) is not { } who)
        {
            return Fault(401, "InvalidAccessTokenException", "The access token is invalid.");
        }

        if (who.CustomerId != customerId)
        {
            return Fault(403, "CustomerAccessForbiddenException", "The token does not belong to this customer.");
        }

        lock (_gate)
        {
            if (who.Guest)
            {
                return Json(200, new Dictionary<string, object> { ["_v"] = "23.2", ["auth_type"] = "guest", ["customer_id"] = customerId });
            }

            var customer = _byNo.Values.FirstOrDefault(c => c.CustomerId == customerId);
            return customer is null ? Fault(404, "CustomerNotFoundException", "No such customer.") : Json(200, Document(customer));
        }
    }

    private WireMock.IResponseMessage Register(IRequestMessage request)
    {
        if (Verify(Bearer(request)) is not { Guest: true })
        {
            return Fault(401, "InvalidAccessTokenException", "A guest access token is required.");
        }

        var body = Body(request);
        var password = Str(body, "password");
        var c = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("customer", out var inner) ? inner : default;
        var login = Str(c, "login");
        var email = Str(c, "email");
        if (string.IsNullOrEmpty(login) || string.IsNullOrEmpty(email) || string.IsNullOrEmpty(Str(c, "last_name")))
        {
            return Fault(400, "MissingElementException", "login, email and last_name are mandatory.");
        }

        if (password is null || password.Length < 8 || !password.Any(char.IsDigit) || !password.Any(char.IsLetter) || password.All(char.IsLetterOrDigit))
        {
            return Fault(400, "InvalidPasswordException", "The password must have at least 8 characters, a letter, a digit and a special character.");
        }

        lock (_gate)
        {
            if (_byNo.Values.Any(x => string.Equals(x.Login, login, StringComparison.OrdinalIgnoreCase)))
            {
                return Fault(400, "LoginAlreadyInUseException", "The login is already in use.");
            }

            var customer = AddCustomer(login, password, Str(c, "first_name") ?? "", Str(c, "last_name")!, Str(c, "phone_mobile"), Str(c, "birthday"));
            customer.Email = email;
            return Json(200, Document(customer));
        }
    }

    private WireMock.IResponseMessage AccountManagerToken(IRequestMessage request)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        return Header(request, "Authorization") == expected && (request.Body ?? "").Contains("grant_type=client_credentials", StringComparison.Ordinal)
            ? Json(200, new { access_token = _dataToken, token_type = "Bearer", expires_in = 1799 })
            : Json(401, new { error = "invalid_client" });
    }

    private WireMock.IResponseMessage? DataGuard(IRequestMessage request, string list) =>
        Bearer(request) != _dataToken ? Fault(401, "InvalidAccessTokenException", "The access token is invalid.")
        : list != CustomerList ? Fault(404, "CustomerListNotFoundException", "No such customer list.")
        : null;

    private WireMock.IResponseMessage DataGet(IRequestMessage request, string list, string customerNo)
    {
        if (DataGuard(request, list) is { } refused)
        {
            return refused;
        }

        lock (_gate)
        {
            return _byNo.TryGetValue(customerNo, out var customer) ? Json(200, Document(customer)) : Fault(404, "CustomerNotFoundException", "No such customer.");
        }
    }

    private WireMock.IResponseMessage DataPatch(IRequestMessage request, string list, string customerNo)
    {
        if (DataGuard(request, list) is { } refused)
        {
            return refused;
        }

        var body = Body(request);
        lock (_gate)
        {
            if (!_byNo.TryGetValue(customerNo, out var customer))
            {
                return Fault(404, "CustomerNotFoundException", "No such customer.");
            }

            customer.FirstName = Str(body, "first_name") ?? customer.FirstName;
            customer.LastName = Str(body, "last_name") ?? customer.LastName;
            customer.Email = Str(body, "email") ?? customer.Email;
            customer.PhoneMobile = Str(body, "phone_mobile") ?? customer.PhoneMobile;
            customer.Birthday = Str(body, "birthday") ?? customer.Birthday;
            customer.ApplyCustom(body);
            customer.LastModified = _time.GetUtcNow();
            return Json(200, Document(customer));
        }
    }

    /// <summary>match_all or a range on last_modified / creation_date, sorted ascending, count up to 200.</summary>
    private WireMock.IResponseMessage DataSearch(IRequestMessage request, string list)
    {
        if (DataGuard(request, list) is { } refused)
        {
            return refused;
        }

        var body = Body(request);
        var count = body.TryGetProperty("count", out var c) && c.TryGetInt32(out var n) ? Math.Clamp(n, 0, 200) : 25;
        var start = body.TryGetProperty("start", out var s) && s.TryGetInt32(out var st) ? st : 0;
        DateTimeOffset? from = null;
        var field = "last_modified";
        if (body.TryGetProperty("query", out var query) && query.TryGetProperty("filtered_query", out var filtered)
            && filtered.TryGetProperty("filter", out var filter) && filter.TryGetProperty("range_filter", out var range))
        {
            field = Str(range, "field") ?? field;
            from = DateTimeOffset.TryParse(Str(range, "from"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var f) ? f : null;
        }

        lock (_gate)
        {
            Func<SandboxCustomer, DateTimeOffset> key = field == "creation_date" ? x => x.CreationDate : x => x.LastModified;
            var all = _byNo.Values.Where(x => from is null || key(x) >= from).OrderBy(key).ThenBy(x => x.CustomerNo, StringComparer.Ordinal).ToList();
            var hits = all.Skip(start).Take(count).Select(x => new { data = Document(x) }).ToList();
            return Json(200, new { count = hits.Count, start, total = all.Count, hits });
        }
    }
}
