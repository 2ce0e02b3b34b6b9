using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Sync;

public sealed class OmneoWebhookTests : IClassFixture<BridgeFixture>
{
    private readonly BridgeFixture _fixture;
    private readonly HttpClient _client;

    public OmneoWebhookTests(BridgeFixture fixture)
    {
        _fixture = fixture;
        fixture.Stubs.Reset();
        fixture.Stubs.OmneoAcceptsProfileUpdates();
        _client = fixture.Bridge.CreateClient();
    }

    private UpstreamStubs Stubs => _fixture.Stubs;

    private string CustomerPath(string customerNo) => $"{Data}/customer_lists/{ListId}/customers/{customerNo}";

    private T Service<T>()
        where T : notnull => _fixture.Bridge.Services.GetRequiredService<T>();

    private Task LinkAsync(string customerNo, string profileId) =>
        Service<CustomerLinkStore>().UpsertAsync(ListId, customerNo, null, profileId, "identity", CancellationToken.None);

    private async Task SyncedAsync(string customerNo, object omneoProfile)
    {
        var profile = JsonSerializer.Deserialize<OmneoSfccBridge.Upstreams.Omneo.OmneoProfile>(JsonSerializer.Serialize(omneoProfile), OmneoSfccBridge.Upstreams.UpstreamJson.Options)!;
        var state = ProfileMapping.StateOf(profile, new Dictionary<string, string>());
        await Service<CustomerLinkStore>().MarkSyncedAsync(ListId, customerNo, state.ToJson(), state.Hash(), state.Hash(), CancellationToken.None);
    }

    /// <summary>Omneo answers 404 for the profile, as for one deleted or merged away.</summary>
    private void OmneoHasNoProfile(string id) =>
        Stubs.Omneo.Given(Request.Create().WithPath($"/api/v3/profiles/{id}").UsingGet().WithHeader("Authorization", "Bearer " + OmneoAdminToken))
            .RespondWith(Json(404, new { message = "Not found." }));

    private async Task<HttpResponseMessage> PostAsync(string body, string eventName, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/omneo") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Omneo-Event", eventName);
        request.Headers.Add("X-Omneo-Hmac-SHA256", signature ?? Sign(body));
        return await _client.SendAsync(request);
    }

    private async Task<WebhookEvent> SettledAsync(HttpResponseMessage accepted)
    {
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.JsonAsync()).GetProperty("event_id").GetInt64();
        var store = Service<WebhookEventStore>();
        return await Eventually.ReturnsAsync(() => store.GetWebhookAsync(id, CancellationToken.None).GetAwaiter().GetResult() is { Status: not "pending" } e ? e : null);
    }

    private static object Person(string id, string first, string email = "ann@example.com", string updatedAt = "2024-06-01 10:00:00", params (string Handle, string Identifier)[] identities) => new
    {
        id,
        email,
        first_name = first,
        last_name = "Smith",
        updated_at = updatedAt,
        identities = identities.Select(i => new { handle = i.Handle, identifier = i.Identifier, is_primary = true, is_active = true }).ToArray(),
    };

    private static object SfccPerson(string customerNo, string first, string email = "ann@example.com", string lastModified = "2024-05-01T00:00:00.000Z") => new
    {
        customer_no = customerNo,
        email,
        login = email,
        first_name = first,
        last_name = "Smith",
        last_modified = lastModified,
    };

    [Fact]
    public async Task Webhook_ProfileUpdated_PatchesOnlyTheChangedFieldsOfTheLinkedCustomer()
    {
        await LinkAsync("00000701", "8701");
        await SyncedAsync("00000701", Person("8701", "Ann"));
        Stubs.OmneoHasProfile("8701", Person("8701", "Annie"));
        Stubs.SfccDataApiHas("00000701", SfccPerson("00000701", "Ann"));
        Stubs.SfccDataApiAcceptsPatch("00000701", SfccPerson("00000701", "Annie"));

        var settled = await SettledAsync(await PostAsync("""{"id":8701,"first_name":"Annie"}""", "profile.updated"));

        Assert.Equal("applied", settled.Status);
        var patch = Assert.Single(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Method == "PATCH");
        Assert.Equal(CustomerPath("00000701"), patch.RequestMessage.Path);
        Assert.Equal("""{"first_name":"Annie"}""", patch.RequestMessage.Body);
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles/8701", "PUT"));
    }

    [Fact]
    public async Task Webhook_WrongSignature_IsRefusedWith401BeforeAnythingIsStored()
    {
        var body = """{"id":"8702"}""";

        var wrong = await PostAsync(body, "profile.updated", Sign(body, "another-secret"));
        var garbage = await PostAsync(body, "profile.updated", "not-hex");
        var tampered = await PostAsync("""{"id":"8703"}""", "profile.updated", Sign(body));

        await wrong.AssertProblemAsync(401);
        await garbage.AssertProblemAsync(401);
        await tampered.AssertProblemAsync(401);
        Assert.Empty(await Service<WebhookEventStore>().PendingWebhookIdsAsync(CancellationToken.None));
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task Webhook_NoSecretConfigured_RefusesEveryDelivery()
    {
        using var bridge = new BridgeFactory(Stubs, overrides: new Dictionary<string, string?> { ["Omneo:WebhookSecret"] = "" });
        var body = """{"id":"8704"}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/omneo") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Omneo-Event", "profile.updated");
        request.Headers.Add("X-Omneo-Hmac-SHA256", Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(Array.Empty<byte>(), Encoding.UTF8.GetBytes(body))));

        var response = await bridge.CreateClient().SendAsync(request);

        await response.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Webhook_SignedButNotJson_Is400()
    {
        var response = await PostAsync("not json", "profile.updated");

        await response.AssertProblemAsync(400);
    }

    [Fact]
    public async Task Webhook_SameDeliveryTwice_ChangesSfccOnce()
    {
        await LinkAsync("00000705", "8705");
        await SyncedAsync("00000705", Person("8705", "Bea"));
        Stubs.OmneoHasProfile("8705", Person("8705", "Beatrice"));
        Stubs.SfccDataApiHas("00000705", SfccPerson("00000705", "Bea"));
        Stubs.SfccDataApiAcceptsPatch("00000705", SfccPerson("00000705", "Beatrice"));
        var body = """{"id":"8705","first_name":"Beatrice"}""";

        var first = await PostAsync(body, "profile.updated");
        var settled = await SettledAsync(first);
        var second = await PostAsync(body, "profile.updated");

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var receipt = await second.JsonAsync();
        Assert.True(receipt.GetProperty("duplicate").GetBoolean());
        Assert.Equal(settled.Id, receipt.GetProperty("event_id").GetInt64());
        Assert.Single(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Method == "PATCH");
    }

    [Fact]
    public async Task Webhook_UnlinkedProfile_IsRecordedAndSkipped()
    {
        var settled = await SettledAsync(await PostAsync("""{"id":"8706"}""", "profile.updated"));

        Assert.Equal("skipped", settled.Status);
        Assert.Equal("no linked SFCC customer", settled.Detail);
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path.StartsWith(Data, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_EchoOfWhatTheBridgeWrote_ChangesNothing()
    {
        await LinkAsync("00000707", "8707");
        await SyncedAsync("00000707", Person("8707", "Cy"));
        Stubs.OmneoHasProfile("8707", Person("8707", "Cy", updatedAt: "2024-07-01 00:00:00"));

        var settled = await SettledAsync(await PostAsync("""{"id":"8707","first_name":"Cy"}""", "profile.updated"));

        Assert.Equal("applied", settled.Status);
        Assert.Contains("unchanged", settled.Detail);
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path == CustomerPath("00000707"));
    }

    [Fact]
    public async Task Webhook_BothSidesChangedTheEmail_SfccOwnsItAndTheConflictIsRecorded()
    {
        await LinkAsync("00000708", "8708");
        await SyncedAsync("00000708", Person("8708", "Di", "di@example.com"));
        Stubs.OmneoHasProfile("8708", Person("8708", "Diana", "di@omneo.example.com", updatedAt: "2024-08-01 00:00:00"));
        Stubs.SfccDataApiHas("00000708", SfccPerson("00000708", "Di", "di@sfcc.example.com", lastModified: "2024-07-01T00:00:00.000Z"));
        Stubs.SfccDataApiAcceptsPatch("00000708", SfccPerson("00000708", "Diana", "di@sfcc.example.com"));

        var settled = await SettledAsync(await PostAsync("""{"id":"8708"}""", "profile.updated"));

        Assert.Equal("applied", settled.Status);
        var patch = Assert.Single(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Method == "PATCH");
        Assert.Equal("""{"first_name":"Diana"}""", patch.RequestMessage.Body);
        var put = Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles/8708"), b => b.Length > 0);
        Assert.Equal("""{"email":"di@sfcc.example.com"}""", put);
        var conflict = Assert.Single(await Service<SyncStore>().RecentConflictsAsync(ListId, 50, CancellationToken.None), c => c.CustomerNo == "00000708");
        Assert.Equal(("email", "sfcc", "owner"), (conflict.Field, conflict.Winner, conflict.Rule));
    }

    [Fact]
    public async Task Webhook_OmneoOnlyChangedTheEmail_SfccIsNotPatchedWithItAndOmneoGetsSfccsEmailBack()
    {
        // Whoever can edit the Omneo profile must not be able to point SFCC's password recovery at their own mailbox.
        await LinkAsync("00000720", "8720");
        await SyncedAsync("00000720", Person("8720", "Gil", "gil@example.com"));
        Stubs.OmneoHasProfile("8720", Person("8720", "Gilbert", "attacker@evil.example", updatedAt: "2024-08-01 00:00:00"));
        Stubs.SfccDataApiHas("00000720", SfccPerson("00000720", "Gil", "gil@example.com"));
        Stubs.SfccDataApiAcceptsPatch("00000720", SfccPerson("00000720", "Gilbert", "gil@example.com"));

        var settled = await SettledAsync(await PostAsync("""{"id":"8720","email":"attacker@evil.example"}""", "profile.updated"));

        Assert.Equal("applied", settled.Status);
        var patch = Assert.Single(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Method == "PATCH");
        Assert.Equal("""{"first_name":"Gilbert"}""", patch.RequestMessage.Body);
        Assert.Equal("""{"email":"gil@example.com"}""", Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles/8720"), b => b.Length > 0));
        var conflict = Assert.Single(await Service<SyncStore>().RecentConflictsAsync(ListId, 50, CancellationToken.None), c => c.CustomerNo == "00000720");
        Assert.Equal(("email", "sfcc", "owner"), (conflict.Field, conflict.Winner, conflict.Rule));
    }

    [Fact]
    public async Task Webhook_BothSidesChangedAFieldNobodyOwns_TheNewerChangeWins()
    {
        await LinkAsync("00000709", "8709");
        await SyncedAsync("00000709", Person("8709", "Ed"));
        Stubs.OmneoHasProfile("8709", Person("8709", "Edward", updatedAt: "2024-06-01 00:00:00"));
        Stubs.SfccDataApiHas("00000709", SfccPerson("00000709", "Eddie", lastModified: "2024-09-01T00:00:00.000Z"));

        var settled = await SettledAsync(await PostAsync("""{"id":"8709"}""", "profile.updated"));

        Assert.Equal("applied", settled.Status);
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Method == "PATCH");
        Assert.Equal("""{"first_name":"Eddie"}""", Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles/8709"), b => b.Length > 0));
        var conflict = Assert.Single(await Service<SyncStore>().RecentConflictsAsync(ListId, 50, CancellationToken.None), c => c.CustomerNo == "00000709");
        Assert.Equal(("first_name", "sfcc", "newer"), (conflict.Field, conflict.Winner, conflict.Rule));
    }

    [Fact]
    public async Task Webhook_OlderDeliveryReplayedAfterANewerOne_SfccKeepsTheNewerValues()
    {
        await LinkAsync("00000740", "8740");
        await SyncedAsync("00000740", Person("8740", "Ann"));
        Stubs.OmneoHasProfile("8740", Person("8740", "Bea", updatedAt: "2024-06-02 10:00:00"));
        Stubs.Sfcc.Given(Request.Create().WithPath(CustomerPath("00000740")).UsingGet().WithHeader("Authorization", "Bearer " + DataApiToken))
            .InScenario("sfcc-00000740")
            .RespondWith(Json(200, SfccPerson("00000740", "Ann")));
        Stubs.Sfcc.Given(Request.Create().WithPath(CustomerPath("00000740")).UsingPatch().WithHeader("Authorization", "Bearer " + DataApiToken))
            .InScenario("sfcc-00000740").WillSetStateTo("patched")
            .RespondWith(Json(200, SfccPerson("00000740", "Bea")));
        Stubs.Sfcc.Given(Request.Create().WithPath(CustomerPath("00000740")).UsingGet().WithHeader("Authorization", "Bearer " + DataApiToken))
            .InScenario("sfcc-00000740").WhenStateIs("patched")
            .RespondWith(Json(200, SfccPerson("00000740", "Bea")));
        var older = """{"id":"8740","first_name":"Ann","updated_at":"2024-06-01 10:00:00"}""";
        var newer = """{"id":"8740","first_name":"Bea","updated_at":"2024-06-02 10:00:00"}""";

        var b = await SettledAsync(await PostAsync(newer, "profile.updated"));
        var a = await SettledAsync(await PostAsync(older, "profile.updated"));

        Assert.Equal(("applied", "00000740:written"), (b.Status, b.Detail));
        Assert.Equal(("applied", "00000740:unchanged"), (a.Status, a.Detail));
        var patches = Stubs.Sfcc.LogEntries.Where(e => e.RequestMessage.Method == "PATCH").Select(e => e.RequestMessage.Body).ToList();
        Assert.Equal(["""{"first_name":"Bea"}"""], patches);
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles/8740", "PUT"));
        using var sfcc = new HttpClient();
        sfcc.DefaultRequestHeaders.Add("Authorization", "Bearer " + DataApiToken);
        Assert.Equal("Bea", (await (await sfcc.GetAsync(Stubs.Sfcc.Urls[0] + CustomerPath("00000740"))).JsonAsync()).GetProperty("first_name").GetString());
    }

    [Fact]
    public async Task Webhook_SignedUpdateReplayedWithTheHeaderSwitchedToDeleted_DropsNoLinkWhileOmneoHasTheProfile()
    {
        await LinkAsync("00000741", "8741");
        await SyncedAsync("00000741", Person("8741", "Cat"));
        Stubs.OmneoHasProfile("8741", Person("8741", "Cat"));

        var settled = await SettledAsync(await PostAsync("""{"id":"8741","first_name":"Cat"}""", "profile.deleted"));

        Assert.Equal("applied", settled.Status);
        Assert.StartsWith("not deleted in Omneo, links kept", settled.Detail);
        Assert.Equal("8741", (await Service<CustomerLinkStore>().FindAsync(ListId, "00000741", CancellationToken.None))?.ProfileId);
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path == CustomerPath("00000741"));
    }

    [Fact]
    public async Task Webhook_MergedClaimNamingASourceOmneoStillHas_MovesNoLink()
    {
        await LinkAsync("00000742", "8742");
        await LinkAsync("00000743", "8743");
        Stubs.OmneoHasProfile("8742", Person("8742", "Dot", identities: [("sfcc", "00000742")]));
        Stubs.OmneoHasProfile("8743", Person("8743", "Eli", identities: [("sfcc", "00000743")]));

        var settled = await SettledAsync(await PostAsync("""{"id":"8743","source_profile_id":"8742"}""", "profile.merged"));

        Assert.Equal("skipped", settled.Status);
        Assert.Contains("8742 still in Omneo, links kept", settled.Detail);
        Assert.Equal("8742", (await Service<CustomerLinkStore>().FindAsync(ListId, "00000742", CancellationToken.None))?.ProfileId);
    }

    [Fact]
    public async Task Webhook_OneSignedBodyUnderManyEventHeaders_StoresOneRow()
    {
        var store = Service<WebhookEventStore>();
        var before = (await store.WebhookCountsAsync(CancellationToken.None)).Values.Sum();
        var body = """{"id":"8744","first_name":"Flo"}""";
        string[] headers = ["profile.updated", "profile.deleted", "profile.merged", "x-1", "x-2", "x-3", "x-4", "x-5"];

        var receipts = new List<System.Text.Json.JsonElement>();
        foreach (var header in headers)
        {
            var response = await PostAsync(body, header);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            receipts.Add(await response.JsonAsync());
        }

        Assert.Single(receipts.Select(r => r.GetProperty("event_id").GetInt64()).Distinct());
        Assert.All(receipts, r => Assert.Equal("profile.updated", r.GetProperty("event").GetString()));
        Assert.Equal(headers.Length - 1, receipts.Count(r => r.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(before + 1, (await store.WebhookCountsAsync(CancellationToken.None)).Values.Sum());
    }

    [Fact]
    public async Task Webhook_ProfileDeleted_RemovesTheLinkAndLeavesSfccAlone()
    {
        await LinkAsync("00000710", "8710");
        OmneoHasNoProfile("8710");

        var settled = await SettledAsync(await PostAsync("""{"id":"8710"}""", "profile.deleted"));

        Assert.Equal("applied", settled.Status);
        Assert.Null(await Service<CustomerLinkStore>().FindAsync(ListId, "00000710", CancellationToken.None));
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Path == CustomerPath("00000710"));
    }

    [Fact]
    public async Task Webhook_ProfileMerged_MovesTheOnlyClaimantsLinkToTheSurvivor()
    {
        await LinkAsync("00000714", "8714");
        OmneoHasNoProfile("8714");
        Stubs.OmneoHasProfile("8715", Person("8715", "Gia", identities: [("sfcc", "00000714")]));

        var settled = await SettledAsync(await PostAsync("""{"id":"8715","source_profile_id":"8714"}""", "profile.merged"));

        Assert.Equal("applied", settled.Status);
        Assert.Equal("8715", (await Service<CustomerLinkStore>().FindAsync(ListId, "00000714", CancellationToken.None))?.ProfileId);
    }

    [Fact]
    public async Task Webhook_ProfileMerged_TheNextLoginsLinkReadIsTheSurvivorAtOnce()
    {
        await LinkAsync("00000716", "8716");
        var links = Service<CustomerLinkStore>();
        Assert.Equal("8716", (await links.FindRecentAsync(ListId, "00000716", CancellationToken.None))?.ProfileId);
        OmneoHasNoProfile("8716");
        Stubs.OmneoHasProfile("8717", Person("8717", "Hal", identities: [("sfcc", "00000716")]));

        var settled = await SettledAsync(await PostAsync("""{"id":"8717","source_profile_id":"8716"}""", "profile.merged"));

        Assert.Equal("applied", settled.Status);
        Assert.Equal("8717", (await links.FindRecentAsync(ListId, "00000716", CancellationToken.None))?.ProfileId);
    }

    [Fact]
    public async Task Webhook_ProfilesOfTwoCustomersMerged_NeitherIsMovedOntoAProfileServingTheOther()
    {
        await LinkAsync("00000711", "8711");
        await LinkAsync("00000712", "8712");
        OmneoHasNoProfile("8711");
        Stubs.OmneoHasProfile("8712", Person("8712", "Flo", identities: [("sfcc", "00000712"), ("sfcc", "00000713")]));

        var settled = await SettledAsync(await PostAsync("""{"id":"8712","source_profile_id":"8711"}""", "profile.merged"));

        Assert.Equal("applied", settled.Status);
        var links = Service<CustomerLinkStore>();
        Assert.Null(await links.FindAsync(ListId, "00000711", CancellationToken.None));
        Assert.Equal("8712", (await links.FindAsync(ListId, "00000712", CancellationToken.None))?.ProfileId);
        Assert.Null(await links.FindAsync(ListId, "00000713", CancellationToken.None));
        Assert.Equal("00000712", (await links.FindByProfileAsync(ListId, "8712", CancellationToken.None))?.CustomerNo);
        Assert.DoesNotContain(Stubs.Sfcc.LogEntries, e => e.RequestMessage.Method == "PATCH");
    }

    [Theory]
    [InlineData("""{"id":".."}""", "profile.updated")]
    [InlineData("""{"id":"../admin"}""", "profile.deleted")]
    [InlineData("""{"id":"8790","source_profile_id":".."}""", "profile.merged")]
    public async Task Webhook_SignedBodyNamingAnUnsafeProfileId_NeverPutsItIntoAnOmneoPath(string body, string eventName)
    {
        var settled = await SettledAsync(await PostAsync(body, eventName));

        Assert.NotEqual("failed", settled.Status);
        Assert.DoesNotContain(Stubs.Omneo.LogEntries, e => e.RequestMessage.Path.Contains("..", StringComparison.Ordinal));
    }
}
