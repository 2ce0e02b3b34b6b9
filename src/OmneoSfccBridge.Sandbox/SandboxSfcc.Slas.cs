using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using OmneoSfccBridge.Sandbox.Shared;
using WireMock;
using static OmneoSfccBridge.Sandbox.SandboxHttp;

namespace OmneoSfccBridge.Sandbox;

/// <summary>
/// The simulated SLAS and Shopper Customers API: ES256 access tokens from an EC P-256 key made at start-up, its JWKS,
/// guest tokens for a private client (<c>client_credentials</c>), registered ones by SLAS's trusted-system
/// on-behalf-of grant (<c>login_id</c> of a demo customer, no password: the sandbox's stand-in for a storefront's
/// shopper login), and the customer read with the shopper's own token.
/// </summary>
public sealed partial class SandboxSfcc
{
    public const string SlasOrganizationId = "f_ecom_zzzz_001";
    public const string SlasTenant = "zzzz_001";
    public const string SlasClientId = "sandbox-slas-client";
    public const string SlasClientSecret = "sandbox-slas-secret";

    private readonly ECDsa _slasKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _slasKid = Guid.NewGuid().ToString();

    /// <summary>Where the simulated SLAS issues tokens (<c>.../oauth2/token</c>; <c>.../oauth2/trusted-system/token</c> for registered shoppers).</summary>
    public string SlasAuthUrl => $"{Url}/shopper/auth/v1/organizations/{SlasOrganizationId}/oauth2";

    /// <summary>A SLAS guest access token, as a PWA Kit storefront holds one.</summary>
    public string IssueSlasGuestToken() => IssueSlasToken(SlasTokenShape.GuestIsb(NewId(), SiteId));

    /// <summary>A SLAS access token of a registered customer (<c>rcid</c> = the customer_id).</summary>
    public string IssueSlasToken(SandboxCustomer customer) =>
        IssueSlasToken(SlasTokenShape.RegisteredIsb(customer.Login, $"{customer.FirstName} {customer.LastName}", NewId(), customer.CustomerId, SiteId));

    private void RouteSlas()
    {
        var auth = $"/shopper/auth/v1/organizations/{SlasOrganizationId}/oauth2";
        _server.Route("GET", auth + "/jwks", (_, _) => Json(200, new { keys = new[] { SlasJwk() } }));
        _server.Route("POST", auth + "/token", (r, _) => SlasToken(r, trustedSystem: false));
        _server.Route("POST", auth + "/trusted-system/token", (r, _) => SlasToken(r, trustedSystem: true));
        _server.Route("GET", $"/customer/shopper-customers/v1/organizations/{SlasOrganizationId}/customers/(?<id>[^/]+)", (r, m) => ShopperCustomer(r, m.Groups["id"].Value));
    }

    private Dictionary<string, object> SlasJwk() => SlasTokenShape.Jwk(_slasKey, _slasKid);

    private string IssueSlasToken(string isb) => SlasTokenShape.Sign(
        _slasKey,
        SlasTokenShape.Header(SlasTenant, _slasKid),
        SlasTokenShape.Claims(SlasTenant, SlasClientId, isb, _time.GetUtcNow()));

    /// <summary>The <c>isb</c> members of a valid, unexpired access token this SLAS issued, else null.</summary>
    private Dictionary<string, string>? VerifySlas(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var signature = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
            if (!_slasKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256))
            {
                return null;
            }

            using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
            if (payload.RootElement.GetProperty("exp").GetInt64() <= _time.GetUtcNow().ToUnixTimeSeconds())
            {
                return null;
            }

            return payload.RootElement.GetProperty("isb").GetString()!.Split("::")
                .Select(p => p.Split(':', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private IResponseMessage SlasToken(IRequestMessage request, bool trustedSystem)
    {
        var client = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SlasClientId}:{SlasClientSecret}"));
        if (Header(request, "Authorization") != client)
        {
            return Json(401, new { status_code = "401 UNAUTHORIZED", error = "invalid_client" });
        }

        var form = QueryHelpers.ParseQuery(request.Body ?? "");
        string Form(string name) => form.TryGetValue(name, out var value) ? value.ToString() : "";
        if (Form("grant_type") != "client_credentials" || Form("channel_id") != SiteId)
        {
            return Json(400, new { status_code = "400 BAD_REQUEST", message = "grant_type client_credentials and channel_id " + SiteId + " are required." });
        }

        string token;
        string? customerId = null;
        if (!trustedSystem)
        {
            token = IssueSlasGuestToken();
        }
        else
        {
            SandboxCustomer? customer;
            lock (_gate)
            {
                customer = Form("hint") == "ts_ext_on_behalf_of" && Form("idp_origin") == "ecom"
                    ? _byNo.Values.FirstOrDefault(c => string.Equals(c.Login, Form("login_id"), StringComparison.OrdinalIgnoreCase))
                    : null;
            }

            if (customer is null)
            {
                return Json(401, new { status_code = "401 UNAUTHORIZED", message = "Unknown login_id (hint ts_ext_on_behalf_of, idp_origin ecom)." });
            }

            token = IssueSlasToken(customer);
            customerId = customer.CustomerId;
        }

        return Json(200, new Dictionary<string, object?>
        {
            ["access_token"] = token,
            ["id_token"] = "",
            ["refresh_token"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["expires_in"] = 1800,
            ["token_type"] = "BEARER",
            ["usid"] = Guid.NewGuid().ToString(),
            ["customer_id"] = customerId ?? "",
            ["enc_user_id"] = "",
        });
    }

    private IResponseMessage ShopperCustomer(IRequestMessage request, string customerId)
    {
        if (VerifySlas(Bearer(request)) is not { } isb || isb.GetValueOrDefault("chid") != Query(request, "siteId"))
        {
            return Json(401, new { title = "Unauthorized", type = "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/unauthorized", detail = "The access token is invalid." });
        }

        if (isb.GetValueOrDefault("rcid") != customerId)
        {
            return Json(403, new { title = "Forbidden", detail = "The token does not belong to this customer." });
        }

        lock (_gate)
        {
            var c = _byNo.Values.FirstOrDefault(x => x.CustomerId == customerId);
            if (c is null)
            {
                return Json(404, new { title = "Customer Not Found", detail = "No such customer." });
            }

            // SCAPI's camelCase document (dictionary keys are written as they are).
            var document = new Dictionary<string, object?>
            {
                ["authType"] = "registered",
                ["customerId"] = c.CustomerId,
                ["customerNo"] = c.CustomerNo,
                ["login"] = c.Login,
                ["email"] = c.Email,
                ["firstName"] = c.FirstName,
                ["lastName"] = c.LastName,
                ["phoneMobile"] = c.PhoneMobile,
                ["birthday"] = c.Birthday,
                ["gender"] = c.Gender,
                ["creationDate"] = c.CreationDate.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["lastModified"] = c.LastModified.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            };
            foreach (var (name, value) in c.Custom)
            {
                document[name] = value;
            }

            return Json(200, document);
        }
    }
}
