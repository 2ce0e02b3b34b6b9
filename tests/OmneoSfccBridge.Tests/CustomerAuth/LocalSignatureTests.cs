using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

/// <summary>With a configured OCAPI verification key, signatures are checked locally with the pinned algorithms.</summary>
public sealed class LocalSignatureTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly UpstreamStubs _stubs = new();
    private readonly BridgeFactory _bridge;

    public LocalSignatureTests()
    {
        _stubs.Reset();
        _bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?> { ["Sfcc:OcapiTokenSigningKey"] = _key.ExportSubjectPublicKeyInfoPem() });
        _stubs.OmneoIssuesTokens(DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds());
    }

    private string Rs256(RSA key, string customerId, bool guest)
    {
        var now = _bridge.Time.GetUtcNow();
        var header = OcapiTokens.Encode("""{"_v":"1","alg":"RS256","typ":"JWT"}""");
        var sub = JsonSerializer.Serialize(new { _v = "1", customer_info = new { customer_id = customerId, guest } });
        var payload = OcapiTokens.Encode(JsonSerializer.Serialize(new Dictionary<string, object> { ["exp"] = now.AddMinutes(30).ToUnixTimeSeconds(), ["iat"] = now.ToUnixTimeSeconds(), ["iss"] = OcapiTokens.ClientId, ["sub"] = sub }));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }

    [Fact]
    public async Task Login_GuestTokenSignedWithTheConfiguredKey_IsAcceptedWithoutAskingSfcc()
    {
        var response = await _bridge.CreateClient().SendAsync(Http.Login("Bearer " + Rs256(_key, OcapiTokens.NewCustomerId(), guest: true)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["omneo /id/api/v1/auth/token"], _stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_TokenSignedWithAnotherKey_Returns401WithoutAnyUpstreamCall()
    {
        using var other = RSA.Create(2048);

        var response = await _bridge.CreateClient().SendAsync(Http.Login("Bearer " + Rs256(other, OcapiTokens.NewCustomerId(), guest: true)));

        await response.AssertProblemAsync(401);
        Assert.Empty(_stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_Hs256TokenWithThePublicKeyAsSecret_Returns401()
    {
        var now = _bridge.Time.GetUtcNow();
        var header = OcapiTokens.Encode("""{"_v":"1","alg":"HS256","typ":"JWT"}""");
        var sub = JsonSerializer.Serialize(new { _v = "1", customer_info = new { customer_id = "attacker", guest = false } });
        var payload = OcapiTokens.Encode(JsonSerializer.Serialize(new Dictionary<string, object> { ["exp"] = now.AddMinutes(30).ToUnixTimeSeconds(), ["iss"] = OcapiTokens.ClientId, ["sub"] = sub }));
        var secret = Encoding.ASCII.GetBytes(_key.ExportSubjectPublicKeyInfoPem());
        var token = header + "." + payload + "." + System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(header + "." + payload)));

        var response = await _bridge.CreateClient().SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
        Assert.Empty(_stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_RegisteredTokenOfUnknownCustomer_AsksSfccOnceThenUsesTheLink()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = Rs256(_key, customerId, guest: false);
        _stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000901", "sig@example.com"));
        _stubs.OmneoFindsIdentity("00000901", Profile("7901", "sig@example.com", identities: ("sfcc", "00000901")));
        Assert.Equal(HttpStatusCode.OK, (await _bridge.CreateClient().SendAsync(Http.Login("Bearer " + token))).StatusCode);
        _stubs.Sfcc.ResetLogEntries();
        _stubs.Omneo.ResetLogEntries();

        var fresh = Rs256(_key, customerId, guest: false);
        var response = await _bridge.CreateClient().SendAsync(Http.Login("Bearer " + fresh));

        Assert.Equal("7901", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(["omneo /id/api/v1/auth/token"], _stubs.LoginCalls());
    }

    public void Dispose()
    {
        _bridge.Dispose();
        _stubs.Dispose();
        _key.Dispose();
    }
}
