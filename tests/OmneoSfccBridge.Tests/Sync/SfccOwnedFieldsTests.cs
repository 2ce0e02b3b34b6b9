using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>SFCC's security fields (email, login, the email-verified attribute) are never written from Omneo.</summary>
public sealed class SfccOwnedFieldsTests
{
    [Fact]
    public async Task Webhook_OmneoCustomFieldsClaimAVerifiedEmailOrNameUnlistedAttributes_NoneReachesSfcc()
    {
        using var stubs = new UpstreamStubs();
        stubs.Reset();
        stubs.OmneoAcceptsProfileUpdates();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?>
        {
            ["Profiles:EmailVerifiedAttribute"] = "c_emailVerified",
            ["Sync:CustomAttributes:c_emailVerified"] = "email_verified",
            ["Sync:CustomAttributes:c_loyaltyTier"] = "loyalty_tier",
        });
        var links = bridge.Services.GetRequiredService<CustomerLinkStore>();
        await links.UpsertAsync(ListId, "00000730", null, "8730", "identity", CancellationToken.None);
        var agreed = JsonSerializer.Serialize(new Dictionary<string, string> { ["email"] = "hana@example.com", ["first_name"] = "Hana", ["last_name"] = "Smith" });
        await links.MarkSyncedAsync(ListId, "00000730", agreed, "sfcc-hash", "omneo-hash", CancellationToken.None);
        stubs.OmneoHasProfile("8730", new
        {
            id = "8730",
            email = "hana@example.com",
            first_name = "Hanna",
            last_name = "Smith",
            updated_at = "2024-08-01 00:00:00",
            custom_fields = new Dictionary<string, object>
            {
                ["email_verified"] = true,
                ["emailVerified"] = true,
                ["c_emailVerified"] = true,
                ["c_isAdmin"] = true,
                ["loyalty_tier"] = "gold",
            },
            identities = Array.Empty<object>(),
        });
        stubs.SfccDataApiHas("00000730", new { customer_no = "00000730", email = "hana@example.com", login = "hana@example.com", first_name = "Hana", last_name = "Smith", c_emailVerified = false, last_modified = "2024-05-01T00:00:00.000Z" });
        stubs.SfccDataApiAcceptsPatch("00000730", new { customer_no = "00000730", email = "hana@example.com", first_name = "Hanna", last_name = "Smith" });
        var body = """{"id":"8730","custom_fields":{"email_verified":true}}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/omneo") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Omneo-Event", "profile.updated");
        request.Headers.Add("X-Omneo-Hmac-SHA256", Sign(body));

        var id = (await (await bridge.CreateClient().SendAsync(request)).JsonAsync()).GetProperty("event_id").GetInt64();
        var store = bridge.Services.GetRequiredService<WebhookEventStore>();
        var settled = await Eventually.AwaitsAsync(async () => await store.GetWebhookAsync(id, CancellationToken.None) is { Status: not "pending" } e ? e : null);

        Assert.Equal("applied", settled.Status);
        var patch = Assert.Single(stubs.Sfcc.LogEntries, e => e.RequestMessage.Method == "PATCH");
        Assert.True(
            System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse("""{"first_name":"Hanna","c_loyaltyTier":"gold"}"""), System.Text.Json.Nodes.JsonNode.Parse(patch.RequestMessage.Body!)),
            patch.RequestMessage.Body);
    }

    [Fact]
    public void Startup_FieldOwnersMakeSfccSecurityFieldsOmneoOwned_FailsNamingEachKey()
    {
        using var stubs = new UpstreamStubs();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?>
        {
            ["Profiles:EmailVerifiedAttribute"] = "c_emailVerified",
            ["Sync:CustomAttributes:c_emailVerified"] = "email_verified",
            ["Sync:FieldOwners:email"] = "Omneo",
            ["Sync:FieldOwners:login"] = "Newer",
            ["Sync:FieldOwners:custom_fields.email_*"] = "Omneo",
        });

        var error = Assert.ThrowsAny<Exception>(() => bridge.CreateClient());

        var messages = string.Join("\n", Flatten(error).Select(e => e.Message));
        Assert.Contains("Sync__FieldOwners__email: 'email' is SFCC's own", messages);
        Assert.Contains("Sync__FieldOwners__login: 'login' is SFCC's own", messages);
        Assert.Contains("Sync__FieldOwners__custom_fields.email_*: 'custom_fields.email_verified' is SFCC's own", messages);
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is null ? [e] : [e, .. Flatten(e.InnerException)];
}
