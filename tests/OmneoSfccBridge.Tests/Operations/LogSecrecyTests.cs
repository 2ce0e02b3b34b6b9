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
        var logs = Fixture.Bridge.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        foreach (var record in logs)
        {
            var text = record.Message + " " + record.Exception + " " + string.Join(" ", record.StructuredState?.Select(s => s.Value) ?? []);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
