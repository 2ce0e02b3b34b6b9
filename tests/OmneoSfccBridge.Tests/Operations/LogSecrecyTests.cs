using System.Net;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Operations;

public sealed class LogSecrecyTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    [Fact]
    public async Task Logs_AfterLoginsOfEveryKind_HoldNoPasswordTokenKeyOrSecret()
    {
        var stubs = Stubs;
        var now = Now;
        var customerId = OcapiTokens.NewCustomerId();
        var sfccToken = OcapiTokens.Registered(customerId, now);
        var guestId = OcapiTokens.NewCustomerId();
        var guestToken = OcapiTokens.Guest(guestId, now);
        const string password = "Pa55word-that-must-not-leak";
        stubs.SfccAcceptsCredentials("leak@example.com", password, Customer(customerId, "00000501", "leak@example.com"), sfccToken);
        stubs.SfccRefusesOtherCredentials();
        stubs.SfccConfirmsToken(guestToken, guestId, GuestCustomer(guestId));
        stubs.SfccDeclinesOtherTokens();
        stubs.SfccDataApiHas("00000501", Customer(customerId, "00000501", "leak@example.com"));
        stubs.OmneoFindsIdentity("00000501", Profile("7501", "leak@example.com", identities: ("sfcc", "00000501")));
        stubs.OmneoIssuesTokens(now.AddMinutes(15).ToUnixTimeSeconds());
        stubs.OmneoAcceptsProfileUpdates();

        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Http.Login(Http.Basic("leak@example.com", password)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(Http.Login(Http.Basic("leak@example.com", password + "x")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Http.Login("Bearer " + sfccToken))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Http.Login("Bearer " + guestToken))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(Http.Login("Bearer " + sfccToken + "tampered"))).StatusCode);
        await Eventually.ReturnsAsync(() => Bodies(stubs.Omneo, "/api/v3/profiles/7501").FirstOrDefault());

        var secrets = new[]
        {
            password, sfccToken, guestToken, sfccToken.Split('.')[2], "omneo-token-for-7501", "omneo-token-for-",
            OmneoAdminToken, DataApiToken, ClientSecret, BridgeFactory.AdminKey,
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("leak@example.com:" + password)),
        };
        AssertNoneLogged(secrets);
    }

    [Fact]
    public async Task Logs_AfterCreatesOfEveryOutcome_HoldNoPasswordOrToken()
    {
        var stubs = Stubs;
        var client = Client;
        var now = Now;
        const string password = "Create-Pa55word-that-must-not-leak";
        const string weakPassword = "weakpassword-that-must-not-leak";
        var sfcc = stubs.SfccRegistersGuests(9301);
        stubs.SfccDeclinesOtherTokens();
        stubs.OmneoFindsNoOtherIdentity();
        stubs.OmneoEmailSearchReturns("leak.create@example.com", Profile("7502", "leak.create@example.com"));
        stubs.OmneoAcceptsIdentities();
        var tokens = Enumerable.Range(0, 4).Select(_ =>
        {
            var guestId = OcapiTokens.NewCustomerId();
            var token = OcapiTokens.Guest(guestId, now);
            stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));
            return token;
        }).ToList();
        var registeredId = OcapiTokens.NewCustomerId();
        var registered = OcapiTokens.Registered(registeredId, now);
        stubs.SfccConfirmsToken(registered, registeredId, Customer(registeredId, "00000502", "member@example.com"));
        var forged = OcapiTokens.Guest(OcapiTokens.NewCustomerId(), now);
        object Body(string pw) => new { login = "leak.create@example.com", email = "leak.create@example.com", password = pw, first_name = "Lea", last_name = "K" };

        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Http.Create("Bearer " + tokens[0], Body(weakPassword), "leak-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Http.Create("Bearer " + tokens[1], Body(password), "leak-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Http.Create("Bearer " + tokens[1], Body(password), "leak-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(Http.Create("Bearer " + tokens[2], Body(password)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Http.Create("Bearer " + registered, Body(password)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Http.Create("Bearer " + forged, Body(password)))).StatusCode);
        Assert.Equal(1, sfcc.Registered);

        var secrets = tokens.Concat([registered, forged, password, weakPassword, OmneoAdminToken]).ToList();
        AssertNoneLogged(secrets);
    }

    /// <summary>
    /// Every captured line, its exception and its structured values, at every level, hold none of the secrets: the
    /// bridge's own lines and Hangfire's (which go to one process-wide log, <see cref="HangfireLog"/>).
    /// </summary>
    private void AssertNoneLogged(IReadOnlyCollection<string> secrets)
    {
        var logs = Fixture.Bridge.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        var lines = logs.Select(r => r.Message + " " + r.Exception + " " + string.Join(" ", r.StructuredState?.Select(s => s.Value) ?? []))
            .Concat(HangfireLog.Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception)); // Hangfire logs plain strings
        foreach (var text in lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
