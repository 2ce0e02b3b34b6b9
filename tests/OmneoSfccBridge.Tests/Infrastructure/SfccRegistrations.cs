using System.Globalization;
using System.Text;
using System.Text.Json;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// SFCC's <c>POST /customers</c> with state, as SFCC behaves: a guest Bearer token is required; the first
/// registration of a login (case-insensitively) succeeds with the next customer_no; a later one gets 400
/// <c>LoginAlreadyInUseException</c>; a password without 8 characters, a letter, a digit and a special character
/// gets 400 <c>InvalidPasswordException</c>. Thread-safe, so racing requests see one winner.
/// </summary>
public sealed class SfccRegistrations(int firstCustomerNo)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _byLogin = new(StringComparer.OrdinalIgnoreCase);
    private int _next = firstCustomerNo;

    /// <summary>How many customers SFCC registered.</summary>
    public int Registered
    {
        get
        {
            lock (_gate)
            {
                return _byLogin.Count;
            }
        }
    }

    /// <summary>A login that exists already (registered earlier, outside the test).</summary>
    public void Exists(string login)
    {
        lock (_gate)
        {
            _byLogin[login] = "existing";
        }
    }

    internal IResponseMessage Answer(IRequestMessage request)
    {
        var authorization = request.Headers?.FirstOrDefault(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Fault(401, "InvalidAccessTokenException");
        }

        using var body = JsonDocument.Parse(request.Body ?? "{}");
        var password = body.RootElement.GetProperty("password").GetString() ?? "";
        var customer = body.RootElement.GetProperty("customer");
        var login = customer.GetProperty("login").GetString()!;
        if (password.Length < 8 || !password.Any(char.IsDigit) || !password.Any(char.IsLetter) || password.All(char.IsLetterOrDigit))
        {
            return Fault(400, "InvalidPasswordException", "The password must have at least 8 characters, a letter, a digit and a special character.");
        }

        string customerNo;
        lock (_gate)
        {
            if (_byLogin.ContainsKey(login))
            {
                return Fault(400, "LoginAlreadyInUseException");
            }

            customerNo = (_next++).ToString("D8", CultureInfo.InvariantCulture);
            _byLogin[login] = customerNo;
        }

        var document = new Dictionary<string, object?>
        {
            ["_v"] = "23.2",
            ["auth_type"] = "registered",
            ["customer_id"] = "reg" + customerNo,
            ["customer_no"] = customerNo,
            ["login"] = login,
            ["email"] = customer.GetProperty("email").GetString(),
            ["first_name"] = customer.TryGetProperty("first_name", out var first) ? first.GetString() : null,
            ["last_name"] = customer.GetProperty("last_name").GetString(),
            ["phone_mobile"] = customer.TryGetProperty("phone_mobile", out var phone) ? phone.GetString() : null,
            ["birthday"] = customer.TryGetProperty("birthday", out var birthday) ? birthday.GetString() : null,
            ["creation_date"] = "2026-11-26T16:30:00.000Z",
            ["last_modified"] = "2026-11-26T16:30:00.000Z",
        };
        return Json(200, document);
    }

    private static IResponseMessage Fault(int status, string type, string message = "Fault from the stub.") =>
        Json(status, new { _v = "23.2", fault = new { type, message } });

    private static ResponseMessage Json(int status, object body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };
}
