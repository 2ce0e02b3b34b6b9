using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WireMock;
using static OmneoSfccBridge.Sandbox.SandboxHttp;

namespace OmneoSfccBridge.Sandbox;

/// <summary>
/// A simulated Omneo: the admin API's profile, identity and webhook subscription endpoints and the ID API's token endpoint, answering as
/// <c>docs/upstreams.md</c> describes (<c>{"data":..}</c> envelopes, 422 validation errors, 404 when nothing matches).
/// </summary>
public sealed class SandboxOmneo : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SandboxProfile> _profiles = new(StringComparer.Ordinal);

    // Lookups the bridge makes for every customer it links: without them a 100k backfill is quadratic.
    private readonly ProfileIndex<string> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly ProfileIndex<(string Handle, string Identifier)> _byIdentity = new(EqualityComparer<(string, string)>.Default);
    private readonly byte[] _idTokenKey = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;
    private readonly SandboxServer _server = new();
    private readonly List<SandboxWebhook> _webhooks = [];

    // The profile events docs/upstreams.md names; a tenant refuses others with a 422.
    private static readonly string[] WebhookTriggers = ["profile.created", "profile.updated", "profile.merged", "profile.deleted", "identity.created"];
    private int _nextId = 501;

    public SandboxOmneo(TimeProvider time)
    {
        _time = time;
        _server.Route("POST", "/id/api/v1/auth/token", (r, _) => Guard(r) ?? IssueToken(r));
        _server.Route("POST", "/api/v3/profiles/search-id", (r, _) => Guard(r) ?? SearchId(r));
        _server.Route("POST", "/api/v3/profiles/merge", (r, _) => Guard(r) ?? Merge(r));
        _server.Route("GET", "/api/v3/profiles", (r, _) => Guard(r) ?? List(r));
        _server.Route("POST", "/api/v3/profiles", (r, _) => Guard(r) ?? Create(r));
        _server.Route("GET", "/api/v3/profiles/(?<id>[^/]+)", (r, m) => Guard(r) ?? Get(m.Groups["id"].Value));
        _server.Route("PUT", "/api/v3/profiles/(?<id>[^/]+)", (r, m) => Guard(r) ?? Update(r, m.Groups["id"].Value));
        _server.Route("POST", "/api/v3/profiles/(?<id>[^/]+)/identities", (r, m) => Guard(r) ?? AddIdentity(r, m.Groups["id"].Value));
        _server.Route("GET", "/api/v3/webhooks", (r, _) => Guard(r) ?? ListWebhooks());
        _server.Route("POST", "/api/v3/webhooks", (r, _) => Guard(r) ?? SaveWebhook(r, null));
        _server.Route("PUT", "/api/v3/webhooks/(?<id>[^/]+)", (r, m) => Guard(r) ?? SaveWebhook(r, m.Groups["id"].Value));
    }

    /// <summary>The admin API token the bridge is configured with in the sandbox.</summary>
    public string AdminToken { get; } = "sandbox-omneo-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public string Url => _server.Url;

    /// <summary>Added to every answer, as a remote upstream's round trip would be (default none).</summary>
    public TimeSpan Latency
    {
        get => _server.Latency;
        set => _server.Latency = value;
    }

    public SandboxProfile AddProfile(string? email, string firstName, string lastName, string? sfccCustomerNo = null)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var profile = new SandboxProfile { Id = (_nextId++).ToString(CultureInfo.InvariantCulture), Email = email, FirstName = firstName, LastName = lastName, CreatedAt = now, UpdatedAt = now };
            if (sfccCustomerNo is not null)
            {
                profile.Identities.Add(("sfcc", sfccCustomerNo));
            }

            _profiles[profile.Id] = profile;
            _byEmail.Add(profile.Email, profile.Id);
            foreach (var identity in profile.Identities)
            {
                _byIdentity.Add(identity, profile.Id);
            }

            profile.Owner = this;
            return profile;
        }
    }

    public SandboxProfile? Find(string id)
    {
        lock (_gate)
        {
            return _profiles.GetValueOrDefault(id);
        }
    }

    /// <summary>Changes a profile as a CX Manager edit would; returns null when there is no such profile.</summary>
    public SandboxProfile? Update(string id, JsonElement changes)
    {
        lock (_gate)
        {
            if (!_profiles.TryGetValue(id, out var profile))
            {
                return null;
            }

            Apply(profile, changes);
            profile.UpdatedAt = _time.GetUtcNow();
            return profile;
        }
    }

    public IReadOnlyList<SandboxProfile> All()
    {
        lock (_gate)
        {
            return [.. _profiles.Values];
        }
    }

    public void Dispose() => _server.Dispose();

    /// <summary>The webhook subscriptions made through the admin API.</summary>
    public IReadOnlyList<SandboxWebhook> Webhooks()
    {
        lock (_gate)
        {
            return [.. _webhooks];
        }
    }

    private IResponseMessage ListWebhooks()
    {
        lock (_gate)
        {
            var all = _webhooks.Select(WebhookDocument).ToList();
            return Json(200, new { data = all, links = new { first = (string?)null, last = (string?)null, prev = (string?)null, next = (string?)null }, meta = new { current_page = 1, last_page = 1, per_page = Math.Max(15, all.Count), total = all.Count } });
        }
    }

    private IResponseMessage SaveWebhook(IRequestMessage request, string? id)
    {
        var body = Body(request);
        var (trigger, url) = (Str(body, "trigger"), Str(body, "url"));
        if (string.IsNullOrWhiteSpace(trigger))
        {
            return Invalid("trigger", "The trigger field is required.");
        }

        if (!WebhookTriggers.Contains(trigger, StringComparer.Ordinal))
        {
            return Invalid("trigger", "The selected trigger is invalid.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return Invalid("url", "The url must be a valid URL.");
        }

        var active = body.TryGetProperty("is_active", out var flag) && flag.ValueKind == JsonValueKind.False ? false : true;
        lock (_gate)
        {
            var index = id is null ? -1 : _webhooks.FindIndex(w => w.Id == id);
            if (id is not null && index < 0)
            {
                return NotFound();
            }

            var webhook = new SandboxWebhook(id ?? (_webhooks.Count + 1).ToString(CultureInfo.InvariantCulture), trigger, url!, Str(body, "namespace"), active);
            if (index < 0)
            {
                _webhooks.Add(webhook);
            }
            else
            {
                _webhooks[index] = webhook;
            }

            return Json(id is null ? 201 : 200, new { data = WebhookDocument(webhook) });
        }
    }

    private static Dictionary<string, object?> WebhookDocument(SandboxWebhook w) => new()
    {
        ["id"] = int.Parse(w.Id, CultureInfo.InvariantCulture),
        ["trigger"] = w.Trigger,
        ["url"] = w.Url,
        ["namespace"] = w.Namespace,
        ["is_active"] = w.IsActive,
    };

    private static IResponseMessage NotFound() => Json(404, new { message = "Not found." });

    private static IResponseMessage Invalid(string field, string message) =>
        Json(422, new { message, errors = new Dictionary<string, string[]> { [field] = [message] } });

    /// <summary>The profile as the admin API shows it.</summary>
    public static object Document(SandboxProfile p) => new Dictionary<string, object?>
    {
        ["id"] = p.Id,
        ["first_name"] = p.FirstName,
        ["last_name"] = p.LastName,
        ["email"] = p.Email,
        ["mobile_phone"] = p.MobilePhone,
        ["gender"] = p.Gender,
        ["birth_day"] = p.BirthDay,
        ["birth_month"] = p.BirthMonth,
        ["birth_year"] = p.BirthYear,
        ["identities"] = p.Identities.Select(i => new { handle = i.Handle, identifier = i.Identifier, is_primary = true, is_active = true, profile_id = p.Id }).ToList(),
        ["created_at"] = p.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        ["updated_at"] = p.UpdatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
    };

    private IResponseMessage? Guard(IRequestMessage request) =>
        Bearer(request) == AdminToken ? null : Json(401, new { message = "Unauthenticated." });

    private IResponseMessage IssueToken(IRequestMessage request)
    {
        var id = Str(Body(request), "id") ?? "";
        lock (_gate)
        {
            if (id.Length > 0 && !_profiles.ContainsKey(id))
            {
                return NotFound();
            }
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var exp = now + 900;
        var header = System.Buffers.Text.Base64Url.EncodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\"}"u8);
        var payload = System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = Url + "/id",
            ["iat"] = now,
            ["exp"] = exp,
            ["pid"] = id.Length > 0 ? id : "null",
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
        }));
        var signature = System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(_idTokenKey, Encoding.ASCII.GetBytes(header + "." + payload)));
        return Json(200, new { data = new { token = $"{header}.{payload}.{signature}", exp } });
    }

    private IResponseMessage SearchId(IRequestMessage request)
    {
        var body = Body(request);
        var (type, id) = (Str(body, "type"), Str(body, "id"));
        lock (_gate)
        {
            var profile = type == "profile_id"
                ? _profiles.GetValueOrDefault(id ?? "")
                : _byIdentity.First((type ?? "", id ?? "")) is { } holder ? _profiles[holder] : null;
            return profile is null ? NotFound() : Json(200, new { data = Document(profile) });
        }
    }

    private IResponseMessage List(IRequestMessage request)
    {
        var email = Query(request, "filter[email]");
        lock (_gate)
        {
            var matches = (email is null ? _profiles.Values : _byEmail.Get(email).Select(id => _profiles[id]))
                .OrderBy(p => int.Parse(p.Id, CultureInfo.InvariantCulture))
                .Select(Document)
                .ToList();
            return Json(200, new { data = matches, links = new { first = (string?)null, last = (string?)null, prev = (string?)null, next = (string?)null }, meta = new { current_page = 1, last_page = 1, per_page = Math.Max(15, matches.Count), total = matches.Count } });
        }
    }

    private IResponseMessage Create(IRequestMessage request)
    {
        var body = Body(request);
        var email = Str(body, "email");
        if (email is not null && string.IsNullOrWhiteSpace(email))
        {
            return Invalid("email", "The email must be a valid email address.");
        }

        lock (_gate)
        {
            if (email is not null && _byEmail.Get(email).Count > 0)
            {
                return Invalid("email", "The email has already been taken.");
            }

            var profile = AddProfile(email, Str(body, "first_name") ?? "", Str(body, "last_name") ?? "");
            Apply(profile, body);
            return Json(201, new { data = Document(profile) });
        }
    }

    private IResponseMessage Get(string id)
    {
        lock (_gate)
        {
            return _profiles.TryGetValue(id, out var profile) ? Json(200, new { data = Document(profile) }) : NotFound();
        }
    }

    private IResponseMessage Update(IRequestMessage request, string id)
    {
        var body = Body(request);
        lock (_gate)
        {
            if (!_profiles.TryGetValue(id, out var profile))
            {
                return NotFound();
            }

            var email = Str(body, "email");
            if (email is not null && _byEmail.Get(email).Any(other => other != id))
            {
                return Invalid("email", "The email has already been taken.");
            }

            Apply(profile, body);
            profile.UpdatedAt = _time.GetUtcNow();
            return Json(200, new { data = Document(profile) });
        }
    }

    private IResponseMessage AddIdentity(IRequestMessage request, string id)
    {
        var body = Body(request);
        var (handle, identifier) = (Str(body, "handle"), Str(body, "identifier"));
        if (string.IsNullOrEmpty(handle) || string.IsNullOrEmpty(identifier))
        {
            return Invalid("identifier", "The handle and identifier fields are required.");
        }

        lock (_gate)
        {
            if (!_profiles.TryGetValue(id, out var profile))
            {
                return NotFound();
            }

            if (_byIdentity.Get((handle, identifier)).Count > 0)
            {
                return Invalid("identifier", "The identifier has already been taken.");
            }

            // Stricter than Omneo's documentation says (it only keeps handle + identifier unique): one profile holds
            // one identity per handle here, so a bridge that ever tried to bind a second SFCC customer to a profile
            // fails loudly in the sandbox and the tests instead of quietly sharing the profile.
            if (profile.Identities.Any(i => i.Handle == handle))
            {
                return Invalid("identifier", $"The profile already has a {handle} identity.");
            }

            profile.Identities.Add((handle, identifier));
            return Json(201, new { data = new { handle, identifier, is_primary = true, is_active = true, profile_id = id } });
        }
    }

    private IResponseMessage Merge(IRequestMessage request)
    {
        var body = Body(request);
        var (source, destination) = (Str(body, "source_profile_id") ?? "", Str(body, "destination_profile_id") ?? "");
        lock (_gate)
        {
            if (!_profiles.TryGetValue(source, out var from) || !_profiles.TryGetValue(destination, out var to) || source == destination)
            {
                return Invalid("source_profile_id", "Both profiles must exist and differ.");
            }

            foreach (var identity in from.Identities.Where(i => !to.Identities.Contains(i)).ToList())
            {
                to.Identities.Add(identity);
            }

            Remove(from);
            return Json(200, new { data = Document(to) });
        }
    }

    /// <summary>Takes a profile out of the store and its indexes; later changes to it no longer reach them.</summary>
    private void Remove(SandboxProfile profile)
    {
        _profiles.Remove(profile.Id);
        _byEmail.Remove(profile.Email, profile.Id);
        foreach (var identity in profile.Identities)
        {
            _byIdentity.Remove(identity, profile.Id);
        }

        profile.Owner = null;
    }

    internal void ChangeEmail(SandboxProfile profile, string? email)
    {
        lock (_gate)
        {
            _byEmail.Remove(profile.Email, profile.Id);
            profile.SetEmailUnindexed(email);
            _byEmail.Add(email, profile.Id);
        }
    }

    internal void ChangeIdentity(SandboxProfile profile, Action apply, (string, string)? added, (string, string)? removed)
    {
        lock (_gate)
        {
            apply();
            if (removed is { } gone && !profile.Identities.Contains(gone))
            {
                _byIdentity.Remove(gone, profile.Id);
            }

            if (added is { } kept)
            {
                _byIdentity.Add(kept, profile.Id);
            }
        }
    }

    private static void Apply(SandboxProfile profile, JsonElement body)
    {
        profile.FirstName = Str(body, "first_name") ?? profile.FirstName;
        profile.LastName = Str(body, "last_name") ?? profile.LastName;
        profile.Email = Str(body, "email") ?? profile.Email;
        profile.MobilePhone = Str(body, "mobile_phone") ?? profile.MobilePhone;
        profile.Gender = Str(body, "gender") ?? profile.Gender;
        profile.BirthDay = Int(body, "birth_day") ?? profile.BirthDay;
        profile.BirthMonth = Int(body, "birth_month") ?? profile.BirthMonth;
        profile.BirthYear = Int(body, "birth_year") ?? profile.BirthYear;
    }

    private static int? Int(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : null;
}
