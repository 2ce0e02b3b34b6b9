using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sandbox;

/// <summary>The README's SLAS walkthrough against the simulated SLAS: a guest and a registered shopper log in.</summary>
public sealed class SandboxSlasTests : IDisposable
{
    private readonly SandboxSfcc _sfcc = new(TimeProvider.System);
    private readonly SandboxOmneo _omneo = new(TimeProvider.System);
    private readonly SandboxBridge _bridge;
    private readonly HttpClient _slas = new();

    public SandboxSlasTests()
    {
        _bridge = new SandboxBridge(_sfcc, _omneo, overrides: new Dictionary<string, string?>
        {
            ["Slas:OrganizationId"] = SandboxSfcc.SlasOrganizationId,
            ["Slas:BaseUrl"] = _sfcc.Url,
            ["Slas:ClientIds:0"] = SandboxSfcc.SlasClientId,
            ["Profiles:EmailVerifiedAttribute"] = SandboxSfcc.EmailVerifiedAttribute,
        });
        _slas.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxSfcc.SlasClientId}:{SandboxSfcc.SlasClientSecret}")));
    }

    private async Task<string> SlasTokenAsync(string path, string form)
    {
        var response = await _slas.PostAsync(new Uri(_sfcc.SlasAuthUrl + path), new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task Login_SandboxSlasGuestAndRegisteredTokens_AreAccepted()
    {
        var ada = _sfcc.AddCustomer("ada@example.com", SandboxLandscape.DemoPassword, "Ada", "Slas").WithEmailVerified(true);
        var profile = _omneo.AddProfile(ada.Email, "Ada", "Slas", ada.CustomerNo);
        var client = _bridge.Bridge.CreateClient();

        var guest = await SlasTokenAsync("/token", $"grant_type=client_credentials&channel_id={SandboxSfcc.SiteId}");
        var guestLogin = await client.SendAsync(Http.Login("Bearer " + guest));
        Assert.Equal(HttpStatusCode.OK, guestLogin.StatusCode);
        Assert.True((await guestLogin.JsonAsync()).GetProperty("guest").GetBoolean());

        var registered = await SlasTokenAsync("/trusted-system/token", $"grant_type=client_credentials&hint=ts_ext_on_behalf_of&login_id=ada@example.com&idp_origin=ecom&channel_id={SandboxSfcc.SiteId}");
        var login = await client.SendAsync(Http.Login("Bearer " + registered));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.JsonAsync();
        Assert.Equal(profile.Id, body.GetProperty("profile_id").GetString());
        Assert.Equal(ada.CustomerNo, body.GetProperty("customer_no").GetString());
    }

    public void Dispose()
    {
        _slas.Dispose();
        _bridge.Dispose();
        _sfcc.Dispose();
        _omneo.Dispose();
    }
}
