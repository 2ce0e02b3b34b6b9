using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.CustomerRegistration;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerRegistration;

public sealed class CreateTests : IClassFixture<BridgeFixture>
{
    private const string Password = "Correct-Horse-9";

    private readonly BridgeFixture _fixture;
    private readonly HttpClient _client;

    public CreateTests(BridgeFixture fixture)
    {
        _fixture = fixture;
        fixture.Stubs.Reset();
        fixture.Stubs.OmneoIssuesTokens(fixture.Bridge.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds());
        fixture.Stubs.OmneoFindsNoOtherIdentity();
        fixture.Stubs.OmneoAcceptsIdentities();
        fixture.Stubs.OmneoAcceptsProfileUpdates();
        _client = fixture.Bridge.CreateClient();
    }

    private UpstreamStubs Stubs => _fixture.Stubs;

    private DateTimeOffset Now => _fixture.Bridge.Time.GetUtcNow();

    internal static object Body(string email, string password = Password, string firstName = "Nia", string? login = null) => new Dictionary<string, object?>
    {
        ["login"] = login ?? email,
        ["email"] = email,
        ["password"] = password,
        ["first_name"] = firstName,
        ["last_name"] = "Moss",
        ["phone"] = "+61412345678",
        ["birthday"] = "1990-04-01",
    };

    /// <summary>A guest token SFCC confirms as a guest's.</summary>
    private string GuestToken(out string guestId)
    {
        guestId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Guest(guestId, Now);
        Stubs.SfccConfirmsToken(token, guestId, GuestCustomer(guestId));
        return token;
    }

    private string GuestToken() => GuestToken(out _);

    private Task<HttpResponseMessage> CreateAsync(object body, string? key = null) =>
        _client.SendAsync(Http.Create("Bearer " + GuestToken(), body, key));

    private static int Registrations(UpstreamStubs stubs) => Count(stubs.Sfcc, Shop + "/customers");

    [Fact]
    public async Task Create_NewGuest_RegistersInSfccCreatesOneProfileAndRecordsTheConversion()
    {
        var sfcc = Stubs.SfccRegistersGuests(9101);
        Stubs.OmneoEmailSearchReturns("nia.101@example.com");
        Stubs.OmneoCreatesProfile("8101", "nia.101@example.com");
        var token = GuestToken(out var guestId);

        var response = await _client.SendAsync(Http.Create("Bearer " + token, Body("nia.101@example.com")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"customer_no":"00009101","profile_id":"8101"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, sfcc.Registered);
        var registration = JsonDocument.Parse(Assert.Single(Bodies(Stubs.Sfcc, Shop + "/customers"))).RootElement;
        Assert.Equal(Password, registration.GetProperty("password").GetString());
        var customer = registration.GetProperty("customer");
        Assert.Equal(
            "login=nia.101@example.com email=nia.101@example.com first_name=Nia last_name=Moss phone_mobile=+61412345678 birthday=1990-04-01",
            string.Join(" ", customer.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}")));
        var created = JsonDocument.Parse(Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles"), b => b.Length > 0)).RootElement;
        Assert.Equal("+61412345678", created.GetProperty("mobile_phone").GetString());
        Assert.Equal(1990, created.GetProperty("birth_year").GetInt32());
        Assert.Contains("\"identifier\":\"00009101\"", Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles/8101/identities")), StringComparison.Ordinal);

        var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/customers/00009101");
        admin.Headers.Add("X-Admin-Key", BridgeFactory.AdminKey);
        var view = await (await _client.SendAsync(admin)).JsonAsync();
        Assert.Equal("8101", view.GetProperty("link").GetProperty("profile_id").GetString());
        var conversion = view.GetProperty("conversion");
        Assert.Equal(guestId, conversion.GetProperty("guest_customer_id").GetString());
        Assert.Equal("reg00009101", conversion.GetProperty("sfcc_customer_id").GetString());
        Assert.Equal("8101", conversion.GetProperty("profile_id").GetString());
        var kinds = view.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["conversion.registered", "link.created"], kinds);
    }

    [Fact]
    public async Task Create_StrangerUsesTheEmailOfAnEarlierProfile_GetsOwnProfileAndTheEarlierOneGainsNoIdentity()
    {
        Stubs.SfccRegistersGuests(9102);
        Stubs.OmneoEmailSearchReturns("bought.before@example.com", Profile("8102", "bought.before@example.com"));
        Stubs.OmneoCreatesProfile("8199", "unused@example.com");

        var response = await CreateAsync(Body("bought.before@example.com", login: "stranger@example.com"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("8199", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles/8102/identities"));
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles/merge"));
        var created = JsonDocument.Parse(Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles"), b => b.Length > 0)).RootElement;
        Assert.False(created.TryGetProperty("email", out _));
        Assert.False(created.TryGetProperty("mobile_phone", out _));
        var link = await _fixture.Bridge.Services.GetRequiredService<CustomerLinkStore>().FindAsync(ListId, "00009102", CancellationToken.None);
        Assert.Equal("8199", link?.ProfileId);
        Assert.True(link?.EmailWithheld);
        var candidate = Assert.Single(await _fixture.Bridge.Services.GetRequiredService<LinkCandidates>().ForCustomerAsync(ListId, "00009102", CancellationToken.None));
        Assert.Equal("8102", candidate.ProfileId);
    }

    [Fact]
    public async Task Create_IdentityHolderAndAnUnverifiedEmailDuplicate_MergesNothingIntoTheHolder()
    {
        Stubs.SfccRegistersGuests(9103);
        Stubs.OmneoFindsIdentity("00009103", Profile("8103", "store.signup@example.com", identities: ("sfcc", "00009103")));
        Stubs.OmneoEmailSearchReturns(
            "twice@example.com",
            Profile("8104", "twice@example.com"),
            Profile("8105", "twice@example.com", identities: ("sfcc", "someone-else")));
        Stubs.OmneoMergesProfiles("8103", "store.signup@example.com");

        var response = await CreateAsync(Body("twice@example.com"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("8103", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles/merge"));
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles"));
        var candidates = await _fixture.Bridge.Services.GetRequiredService<LinkCandidates>().ForCustomerAsync(ListId, "00009103", CancellationToken.None);
        Assert.Equal(["8104", "8105"], candidates.Select(c => c.ProfileId).Order());
        Assert.Contains("someone-else", Assert.Single(candidates, c => c.ProfileId == "8105").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_LoginAlreadyInUse_Returns409AndTouchesNoProfile()
    {
        var sfcc = Stubs.SfccRegistersGuests(9104);
        sfcc.Exists("taken@example.com");

        var response = await CreateAsync(Body("TAKEN@example.com"));

        await response.AssertProblemAsync(409);
        Assert.Empty(Stubs.Omneo.LogEntries);
        Assert.Equal(1, sfcc.Registered);
    }

    [Fact]
    public async Task Create_PasswordRefusedBySfcc_Returns400WithThePolicyInWords()
    {
        Stubs.SfccRegistersGuests(9105);

        var response = await CreateAsync(Body("weak@example.com", password: "password"));

        await response.AssertProblemAsync(400);
        var body = await response.JsonAsync();
        Assert.Equal("The password does not meet the site's password policy.", body.GetProperty("detail").GetString());
        Assert.Contains("at least 8 characters", body.GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Theory]
    [InlineData("""{"login":"","email":"not-an-email","password":"Contract-Test-Passw0rd!","first_name":"","last_name":""}""", "email,first_name,last_name,login")]
    [InlineData("""{}""", "email,first_name,last_name,login,password")]
    [InlineData("""{"login":"a:b@example.com","email":"ab@example.com","password":"Pa55-word!","first_name":"A","last_name":"B"}""", "login")]
    [InlineData("""{"login":42,"email":"x@example.com","password":"Pa55-word!","first_name":"A","last_name":"B"}""", "login")]
    [InlineData("""{"login":"x@example.com","email":"x@example","password":"Pa55-word!","first_name":"A","last_name":" "}""", "email,last_name")]
    [InlineData("""{"login":"x@example.com","email":"x@example.com","password":"Pa55-word!","first_name":"A","last_name":"B","phone":"call me"}""", "phone")]
    [InlineData("""{"login":"x@example.com","email":"x@example.com","password":"Pa55-word!","first_name":"A","last_name":"B","birthday":"1990-13-01"}""", "birthday")]
    [InlineData("""{"login":"x@example.com","email":"x@example.com","password":"Pa55-word!","first_name":"A","last_name":"B","birthday":"01/04/1990"}""", "birthday")]
    [InlineData("""{"login":"x@example.com","email":"x@example.com","password":"Pa55-word!","first_name":"A","last_name":"B","birthday":"2999-01-01"}""", "birthday")]
    public async Task Create_InvalidBody_Returns400NamingEachFieldAndCallsNoUpstream(string body, string fields)
    {
        var response = await _client.SendAsync(Http.Create("Bearer " + OcapiTokens.Guest(OcapiTokens.NewCustomerId(), Now), body));

        await response.AssertProblemAsync(400);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(fields, string.Join(",", errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.All(errors.EnumerateObject(), p => Assert.Equal(1, p.Value.GetArrayLength()));
        Assert.Empty(Stubs.Sfcc.LogEntries);
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Theory]
    [InlineData("""{"login":""")]
    [InlineData("""[]""")]
    [InlineData("")]
    public async Task Create_BodyNotAJsonObject_Returns400Problem(string body)
    {
        var response = await _client.SendAsync(Http.Create("Bearer " + OcapiTokens.Guest(OcapiTokens.NewCustomerId(), Now), body));

        await response.AssertProblemAsync(400);
        Assert.Empty(Stubs.Sfcc.LogEntries);
    }

    [Fact]
    public async Task Create_IdempotencyKeyLongerThan100_Returns400()
    {
        var key = new string('k', 101);

        var response = await _client.SendAsync(Http.Create("Bearer " + OcapiTokens.Guest(OcapiTokens.NewCustomerId(), Now), Body("k@example.com"), key));

        await response.AssertProblemAsync(400);
        Assert.Empty(Stubs.Sfcc.LogEntries);
    }

    [Fact]
    public async Task Create_RegisteredCustomersToken_Returns403AndCreatesNothing()
    {
        var sfcc = Stubs.SfccRegistersGuests(9106);
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000999", "member@example.com"));

        var response = await _client.SendAsync(Http.Create("Bearer " + token, Body("new.one@example.com")));

        await response.AssertProblemAsync(403);
        Assert.Equal(0, sfcc.Registered);
        Assert.Equal(0, Registrations(Stubs));
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task Create_TokenNotAccepted_Returns401WithLoginsBody()
    {
        Stubs.SfccRegistersGuests(9107);
        Stubs.SfccDeclinesOtherTokens();
        var forged = "Bearer " + OcapiTokens.Guest(OcapiTokens.NewCustomerId(), Now);

        var create = await _client.SendAsync(Http.Create(forged, Body("forged@example.com")));
        var login = await _client.SendAsync(Http.Login(forged));

        await create.AssertProblemAsync(401);
        var (createBody, loginBody) = (await create.JsonAsync(), await login.JsonAsync());
        Assert.Equal(loginBody.GetProperty("title").GetString(), createBody.GetProperty("title").GetString());
        Assert.Equal(loginBody.GetProperty("detail").GetString(), createBody.GetProperty("detail").GetString());
        Assert.Equal(0, Registrations(Stubs));
    }

    [Fact]
    public async Task Create_SameKeyAndBodyAgain_ReplaysTheFirst201WithoutUpstreamCalls()
    {
        var sfcc = Stubs.SfccRegistersGuests(9108);
        Stubs.OmneoEmailSearchReturns("double.click@example.com");
        Stubs.OmneoCreatesProfile("8108", "double.click@example.com");
        var token = GuestToken();
        var first = await _client.SendAsync(Http.Create("Bearer " + token, Body("double.click@example.com"), "key-9108"));
        Stubs.Sfcc.ResetLogEntries();
        Stubs.Omneo.ResetLogEntries();

        var second = await _client.SendAsync(Http.Create("Bearer " + token, Body("double.click@example.com"), "key-9108"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Empty(Stubs.Sfcc.LogEntries);
        Assert.Empty(Stubs.Omneo.LogEntries);
        Assert.Equal(1, sfcc.Registered);
    }

    [Fact]
    public async Task Create_SameGuestSameKeyWithAnotherBody_Returns422AndRegistersNothingMore()
    {
        var sfcc = Stubs.SfccRegistersGuests(9109);
        Stubs.OmneoEmailSearchReturns("key.reuse@example.com");
        Stubs.OmneoCreatesProfile("8109", "key.reuse@example.com");
        var token = GuestToken();
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(Http.Create("Bearer " + token, Body("key.reuse@example.com"), "key-9109"))).StatusCode);

        var response = await _client.SendAsync(Http.Create("Bearer " + token, Body("key.reuse@example.com", firstName: "Different"), "key-9109"));

        await response.AssertProblemAsync(422);
        Assert.Equal(1, Registrations(Stubs));
        Assert.Equal(1, sfcc.Registered);
    }

    [Fact]
    public async Task Create_OtherGuestReusesKeyWithAnotherBody_GetsItsOwn201ForItsOwnCustomer()
    {
        var sfcc = Stubs.SfccRegistersGuests(9120);
        Stubs.OmneoEmailSearchReturns("guest.a@example.com");
        Stubs.OmneoEmailSearchReturns("guest.b@example.com");
        foreach (var (id, email) in new[] { ("8120", "guest.a@example.com"), ("8121", "guest.b@example.com") })
        {
            Stubs.Omneo.Given(Request.Create().WithPath("/api/v3/profiles").UsingPost().WithBody(new WireMock.Matchers.WildcardMatcher($"*{email}*")))
                .RespondWith(Json(201, new { data = Profile(id, email) }));
        }

        var first = await _client.SendAsync(Http.Create("Bearer " + GuestToken(), Body("guest.a@example.com"), "shared-key"));

        var second = await _client.SendAsync(Http.Create("Bearer " + GuestToken(), Body("guest.b@example.com", firstName: "Other"), "shared-key"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("""{"customer_no":"00009120","profile_id":"8120"}""", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("""{"customer_no":"00009121","profile_id":"8121"}""", await second.Content.ReadAsStringAsync());
        Assert.Equal(2, sfcc.Registered);
    }

    [Fact]
    public async Task Create_OtherGuestReusesKeyWithTheSameBody_IsNeverReplayedTheFirstGuestsAnswer()
    {
        var sfcc = Stubs.SfccRegistersGuests(9122);
        Stubs.OmneoEmailSearchReturns("replay.theft@example.com");
        Stubs.OmneoCreatesProfile("8122", "replay.theft@example.com");
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(Http.Create("Bearer " + GuestToken(), Body("replay.theft@example.com"), "key-9122"))).StatusCode);

        var response = await _client.SendAsync(Http.Create("Bearer " + GuestToken(), Body("replay.theft@example.com"), "key-9122"));

        // Processed as its own request: SFCC, not the stored answer, says the login is taken.
        await response.AssertProblemAsync(409);
        Assert.DoesNotContain("00009122", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, Registrations(Stubs));
        Assert.Equal(1, sfcc.Registered);
    }

    [Fact]
    public async Task Create_WithKey_StoresOnlyAFingerprintKeyedWithTheServerSecret()
    {
        Stubs.SfccRegistersGuests(9123);
        Stubs.OmneoEmailSearchReturns("stored.hash@example.com");
        Stubs.OmneoCreatesProfile("8123", "stored.hash@example.com");
        var token = GuestToken(out var guestId);
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(Http.Create("Bearer " + token, Body("stored.hash@example.com"), "key-9123"))).StatusCode);

        var database = _fixture.Bridge.Services.GetRequiredService<BridgeDatabase>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT request_hash FROM create_idempotency_keys WHERE guest_customer_id = '{guestId}' AND idempotency_key = 'key-9123'";
        var stored = (string)(await query.ExecuteScalarAsync())!;

        var form = new RegistrationForm(
            "stored.hash@example.com", "stored.hash@example.com", Password, "Nia", "Moss", "+61412345678", "1990-04-01");
        Assert.Equal(new IdempotencyFingerprint(BridgeFactory.IdempotencySecret).Of(guestId, "key-9123", form), stored);
        Assert.NotEqual(new IdempotencyFingerprint("another-secret-of-at-least-32-bytes!!").Of(guestId, "key-9123", form), stored);
        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
        var hex = stored[(stored.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new[] { guestId, "key-9123", form.Login, form.Email, form.Password, form.FirstName, form.LastName, form.Phone, form.Birthday });
        Assert.NotEqual(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(canonical)), hex, StringComparer.OrdinalIgnoreCase);
        Assert.NotEqual(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(Body("stored.hash@example.com")))), hex, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Create_KeyStoredUnderARotatedSecret_RetryRunsAsANewRequestNot422()
    {
        var sfcc = Stubs.SfccRegistersGuests(9124);
        Stubs.OmneoEmailSearchReturns("rotated@example.com");
        Stubs.OmneoCreatesProfile("8124", "rotated@example.com");
        var token = GuestToken(out var guestId);
        var form = new RegistrationForm("rotated@example.com", "rotated@example.com", Password, "Nia", "Moss", "+61412345678", "1990-04-01");
        var before = new IdempotencyFingerprint("the-secret-before-rotation-0123456789abcdef");
        var oldStore = new IdempotencyStore(_fixture.Bridge.Services.GetRequiredService<BridgeDatabase>(), before, _fixture.Bridge.Time);
        Assert.IsType<IdempotencyClaim.Claimed>(await oldStore.ClaimAsync(guestId, "key-9124", before.Of(guestId, "key-9124", form), CancellationToken.None));
        await oldStore.CompleteAsync(guestId, "key-9124", new CreateResponse("00000001", null), CancellationToken.None);

        var response = await _client.SendAsync(Http.Create("Bearer " + token, Body("rotated@example.com"), "key-9124"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"customer_no":"00009124","profile_id":"8124"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, sfcc.Registered);
    }

    [Fact]
    public async Task Create_FailedAttemptWithKey_CanBeRetriedWithTheSameKey()
    {
        Stubs.SfccRegistersGuests(9110);
        Stubs.OmneoEmailSearchReturns("retry@example.com");
        Stubs.OmneoCreatesProfile("8110", "retry@example.com");
        await (await CreateAsync(Body("retry@example.com", password: "password"), "key-9110")).AssertProblemAsync(400);

        var response = await CreateAsync(Body("retry@example.com"), "key-9110");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_TwentyConcurrentForOneLogin_MakeOneCustomerAndOneProfile()
    {
        var sfcc = Stubs.SfccRegistersGuests(9111);
        Stubs.OmneoEmailSearchReturns("race@example.com");
        Stubs.Omneo.Given(Request.Create().WithPath("/api/v3/profiles").UsingPost())
            .RespondWith(Json(201, new { data = Profile("8111", "race@example.com") }).WithDelay(TimeSpan.FromMilliseconds(50)));
        var requests = Enumerable.Range(0, 20).Select(_ => Http.Create("Bearer " + GuestToken(), Body("race@example.com"))).ToList();

        var responses = await Task.WhenAll(requests.Select(r => _client.SendAsync(r)));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { 201, 409 }));
        Assert.Single(statuses, s => s == 201);
        Assert.Equal(1, sfcc.Registered);
        Assert.Equal(1, Count(Stubs.Omneo, "/api/v3/profiles"));
    }

    [Fact]
    public async Task Create_OmneoDown_Answers201WithoutProfileThenTheJobLinks()
    {
        Stubs.SfccRegistersGuests(9112);
        var recover = Stubs.OmneoIsDown();

        var response = await CreateAsync(Body("omneo.down@example.com"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"customer_no":"00009112","profile_id":null}""", await response.Content.ReadAsStringAsync());
        Stubs.SfccDataApiHas("00009112", Customer("reg00009112", "00009112", "omneo.down@example.com"));
        Stubs.OmneoEmailSearchReturns("omneo.down@example.com");
        Stubs.OmneoCreatesProfile("8112", "omneo.down@example.com");
        recover();
        var conversions = _fixture.Bridge.Services.GetRequiredService<ConversionLog>();

        // The job's first attempt may meet Omneo still down; its retries come 2, 10 and 30 s later.
        var conversion = await Eventually.AwaitsAsync(
            async () => await conversions.FindAsync(ListId, "00009112", CancellationToken.None) is { ProfileId: not null } c ? c : null,
            timeoutSeconds: 75);

        Assert.Equal("8112", conversion.ProfileId);
        Assert.Equal(1, Count(Stubs.Omneo, "/api/v3/profiles"));
        var link = await _fixture.Bridge.Services.GetRequiredService<CustomerLinkStore>().FindAsync(ListId, "00009112", CancellationToken.None);
        Assert.Equal("8112", link?.ProfileId);
        var audit = _fixture.Bridge.Services.GetRequiredService<AuditLog>();
        await Eventually.AwaitsAsync(async () => (await audit.ForCustomerAsync(ListId, "00009112", CancellationToken.None)).FirstOrDefault(e => e.Kind == "conversion.linked"));
    }

    [Fact]
    public async Task Create_OmneoDownThenTheNewCustomerLogsIn_TheLoginGetsTheOneProfile()
    {
        Stubs.SfccRegistersGuests(9113);
        var recover = Stubs.OmneoIsDown();
        var created = await CreateAsync(Body("login.after@example.com"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var customer = Customer("reg00009113", "00009113", "login.after@example.com");
        Stubs.SfccAcceptsCredentials("login.after@example.com", Password, customer, OcapiTokens.Registered("reg00009113", Now));
        Stubs.SfccDataApiHas("00009113", customer);
        Stubs.OmneoEmailSearchReturns("login.after@example.com");
        Stubs.OmneoCreatesProfile("8113", "login.after@example.com");
        recover();

        var login = await _client.SendAsync(Http.Login(Http.Basic("login.after@example.com", Password)));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("8113", (await login.JsonAsync()).GetProperty("profile_id").GetString());
        var conversions = _fixture.Bridge.Services.GetRequiredService<ConversionLog>();
        await Eventually.AwaitsAsync(async () => await conversions.FindAsync(ListId, "00009113", CancellationToken.None) is { ProfileId: "8113" } c ? c : null);
        Assert.Equal(1, Count(Stubs.Omneo, "/api/v3/profiles"));

        // The login queued a profile refresh (nothing to write: the profile was just created from the same
        // customer): let it finish here rather than in the next test's stubs.
        var links = _fixture.Bridge.Services.GetRequiredService<CustomerLinkStore>();
        await Eventually.AwaitsAsync(async () => await links.FindAsync(ListId, "00009113", CancellationToken.None) is { LastRefreshedAt: not null } l ? l : null);
    }

    [Fact]
    public async Task CompleteRegistrationJob_FailsWhileOmneoIsDownThenRunsTwice_LinksOneProfileOnce()
    {
        var customer = Customer("reg00009114", "00009114", "job.twice@example.com");
        Stubs.SfccDataApiHas("00009114", customer);
        Stubs.OmneoEmailSearchReturns("job.twice@example.com");
        Stubs.OmneoCreatesProfile("8114", "job.twice@example.com");
        var conversions = _fixture.Bridge.Services.GetRequiredService<ConversionLog>();
        await conversions.RecordAsync(ListId, "00009114", "guest-9114", "reg00009114", CancellationToken.None);
        var job = _fixture.Bridge.Services.GetRequiredService<OmneoSfccBridge.CustomerRegistration.CompleteRegistrationJob>();
        var recover = Stubs.OmneoIsDown();

        await Assert.ThrowsAsync<OmneoSfccBridge.Upstreams.UpstreamException>(() => job.RunAsync(ListId, "00009114", CancellationToken.None));
        recover();
        await job.RunAsync(ListId, "00009114", CancellationToken.None);
        await job.RunAsync(ListId, "00009114", CancellationToken.None);

        Assert.Equal("8114", (await conversions.FindAsync(ListId, "00009114", CancellationToken.None))?.ProfileId);
        Assert.Equal(1, Count(Stubs.Omneo, "/api/v3/profiles"));
        var history = await _fixture.Bridge.Services.GetRequiredService<AuditLog>().ForCustomerAsync(ListId, "00009114", CancellationToken.None);
        Assert.Single(history, e => e.Kind == "conversion.linked");
    }
}
