using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

public sealed class ProfileLinkingTests : BridgeTest
{
    public ProfileLinkingTests(BridgeFixture fixture)
        : base(fixture)
    {
        fixture.Stubs.OmneoIssuesTokens(fixture.Bridge.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds());
        fixture.Stubs.OmneoFindsNoOtherIdentity();
        fixture.Stubs.OmneoAcceptsIdentities();
        fixture.Stubs.OmneoAcceptsProfileUpdates();
    }

    private async Task<HttpResponseMessage> LoginAsync(string customerNo, string email) => (await LoginWithIdAsync(customerNo, email)).Response;

    private async Task<(HttpResponseMessage Response, string CustomerId)> LoginWithIdAsync(string customerNo, string email)
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, VerifiedCustomer(customerId, customerNo, email));
        return (await Client.SendAsync(Http.Login("Bearer " + token)), customerId);
    }

    private async Task<HttpResponseMessage> LoginUnverifiedAsync(string customerNo, string email)
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, customerNo, email));
        return await Client.SendAsync(Http.Login("Bearer " + token));
    }

    private async Task<JsonElement> AdminViewAsync(string customerNo)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/customers/{customerNo}");
        request.Headers.Add("X-Admin-Key", BridgeFactory.AdminKey);
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static JsonElement CreatedProfileBody(UpstreamStubs stubs) =>
        JsonDocument.Parse(Assert.Single(Bodies(stubs.Omneo, "/api/v3/profiles"), b => b.Length > 0)).RootElement;

    [Fact]
    public async Task Login_UnverifiedEmailMatchesAnEarlierProfile_GetsOwnProfileWithoutTheEmailAndTheMatchIsOnlyACandidate()
    {
        Stubs.OmneoEmailSearchReturns("victim@example.com", Profile("7310", "victim@example.com"));
        Stubs.OmneoCreatesProfile("7311", "unused@example.com");

        var response = await LoginUnverifiedAsync("00000310", "victim@example.com");

        Assert.Equal("7311", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles/7310/identities"));
        var created = CreatedProfileBody(Stubs);
        Assert.False(created.TryGetProperty("email", out _));
        Assert.Equal("Test", created.GetProperty("first_name").GetString());
        var view = await AdminViewAsync("00000310");
        Assert.True(view.GetProperty("link").GetProperty("email_withheld").GetBoolean());
        var candidate = Assert.Single(view.GetProperty("candidates").EnumerateArray());
        Assert.Equal("7310", candidate.GetProperty("profile_id").GetString());
        Assert.Contains("not verified", candidate.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_VerifiedEmailMatchesAProfileHoldingAnotherCustomersIdentity_NeverLinksIt()
    {
        Stubs.OmneoEmailSearchReturns("owned@example.com", Profile("7312", "owned@example.com", identities: ("sfcc", "00000999")));
        Stubs.OmneoCreatesProfile("7313", "unused@example.com");

        var response = await LoginAsync("00000312", "owned@example.com");

        Assert.Equal("7313", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles/7312/identities"));
        Assert.False(CreatedProfileBody(Stubs).TryGetProperty("email", out _));
        var candidate = Assert.Single((await AdminViewAsync("00000312")).GetProperty("candidates").EnumerateArray());
        Assert.Contains("00000999", candidate.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_VerifiedEmailMatchesAProfileLinkedToAnotherCustomerInTheStore_NeverLinksIt()
    {
        await Fixture.Bridge.Services.GetRequiredService<CustomerLinkStore>().UpsertAsync(ListId, "00000998", null, "7314", "created", CancellationToken.None);
        Stubs.OmneoEmailSearchReturns("shared@example.com", Profile("7314", "shared@example.com"));
        Stubs.OmneoCreatesProfile("7315", "unused@example.com");

        var response = await LoginAsync("00000314", "shared@example.com");

        Assert.Equal("7315", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles/7314/identities"));
        var owner = await Fixture.Bridge.Services.GetRequiredService<CustomerLinkStore>().FindByProfileAsync(ListId, "7314", CancellationToken.None);
        Assert.Equal("00000998", owner?.CustomerNo);
    }

    [Fact]
    public async Task Login_ProfileHoldingTheIdentityAlsoHoldsAnotherCustomers_IsNotHandedOut()
    {
        Stubs.OmneoFindsIdentity("00000316", Profile("7316", "both@example.com", identities: [("sfcc", "00000997"), ("sfcc", "00000316")]));
        Stubs.OmneoCreatesProfile("7317", "unused@example.com");

        var response = await LoginAsync("00000316", "both@example.com");

        Assert.Equal("7317", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        var candidate = Assert.Single((await AdminViewAsync("00000316")).GetProperty("candidates").EnumerateArray());
        Assert.Equal("7316", candidate.GetProperty("profile_id").GetString());
        Assert.Contains("00000997", candidate.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ProfileHoldsTheIdentity_LinksWithoutEmailSearch()
    {
        Stubs.OmneoFindsIdentity("00000301", Profile("7301", "fay@example.com", identities: ("sfcc", "00000301")));

        var response = await LoginAsync("00000301", "fay@example.com");

        Assert.Equal("7301", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles", "GET"));
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles"));
    }

    [Fact]
    public async Task Login_ProfileMatchesByEmail_AddsTheIdentityToThatProfile()
    {
        Stubs.OmneoEmailSearchReturns("gus@example.com", Profile("7302", "gus@example.com"));

        var response = await LoginAsync("00000302", "gus@example.com");

        Assert.Equal("7302", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        var identity = Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles/7302/identities"));
        Assert.Equal("""{"handle":"sfcc","identifier":"00000302","is_primary":true,"is_active":true}""", identity);
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles"));
    }

    [Fact]
    public async Task Login_SeveralProfilesShareTheEmail_ChoosesEarliestFreeProfileAndRecordsWhy()
    {
        Stubs.OmneoEmailSearchReturns(
            "hal@example.com",
            Profile("9000", "hal@example.com", "2024-05-01 00:00:00"),
            Profile("8000", "HAL@example.com", "2022-01-01 00:00:00", ("sfcc", "someone-else")),
            Profile("8500", "hal@example.com", "2023-03-01 00:00:00"),
            Profile("8600", "halbert@example.com", "2021-01-01 00:00:00"));

        var response = await LoginAsync("00000303", "hal@example.com");

        Assert.Equal("8500", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        var audit = Fixture.Bridge.Services.GetRequiredService<AuditLog>();
        var history = await audit.ForCustomerAsync(ListId, "00000303", CancellationToken.None);
        var linked = Assert.Single(history);
        Assert.Equal("link.email", linked.Kind);
        Assert.Contains("chose 8500", linked.Detail);
        Assert.Contains("9000", linked.Detail);
    }

    [Fact]
    public async Task Login_NoProfileAnywhere_CreatesOneWithTheIdentity()
    {
        Stubs.OmneoEmailSearchReturns("ida@example.com");
        Stubs.OmneoCreatesProfile("7304", "ida@example.com");

        var response = await LoginAsync("00000304", "ida@example.com");

        Assert.Equal("7304", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        var created = JsonDocument.Parse(Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles"), b => b.Length > 0)).RootElement;
        Assert.Equal("ida@example.com", created.GetProperty("email").GetString());
        Assert.Equal("Test", created.GetProperty("first_name").GetString());
        Assert.Single(Bodies(Stubs.Omneo, "/api/v3/profiles/7304/identities"));
    }

    [Fact]
    public async Task Login_SecondLoginOfLinkedCustomer_AsksOmneoOnlyForTheToken()
    {
        Stubs.OmneoEmailSearchReturns("jo@example.com", Profile("7305", "jo@example.com"));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("00000305", "jo@example.com")).StatusCode);
        Stubs.Sfcc.ResetLogEntries();
        Stubs.Omneo.ResetLogEntries();

        var (response, customerId) = await LoginWithIdAsync("00000305", "jo@example.com");

        Assert.Equal("7305", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal([$"sfcc {Shop}/customers/{customerId}", "omneo /id/api/v1/auth/token"], Stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_LinkedProfileGoneFromOmneo_RelinksToTheLiveProfile()
    {
        Stubs.OmneoEmailSearchReturns("kim@example.com", Profile("7306", "kim@example.com"));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("00000306", "kim@example.com")).StatusCode);
        Stubs.Omneo.Given(WireMock.RequestBuilders.Request.Create().WithPath("/id/api/v1/auth/token").UsingPost().WithBody("""{"id":"7306"}"""))
            .AtPriority(1).RespondWith(Json(404, new { message = "Not found." }));
        Stubs.OmneoFindsIdentity("00000306", Profile("7399", "kim@example.com", identities: ("sfcc", "00000306")));

        var response = await LoginAsync("00000306", "kim@example.com");

        Assert.Equal("7399", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        var history = await Fixture.Bridge.Services.GetRequiredService<AuditLog>().ForCustomerAsync(ListId, "00000306", CancellationToken.None);
        Assert.Equal(["link.email", "link.dropped", "link.identity"], history.Select(h => h.Kind));
    }

    [Fact]
    public async Task Login_ConcurrentFirstLogins_CreateExactlyOneProfile()
    {
        Stubs.OmneoEmailSearchReturns("lou@example.com");
        Stubs.Omneo.Given(WireMock.RequestBuilders.Request.Create().WithPath("/api/v3/profiles").UsingPost())
            .RespondWith(Json(201, new { data = Profile("7307", "lou@example.com") }).WithDelay(TimeSpan.FromMilliseconds(50)));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => LoginAsync("00000307", "lou@example.com")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, Count(Stubs.Omneo, "/api/v3/profiles"));
    }

    [Fact]
    public async Task Login_RegisteredLogin_RefreshesTheProfileFromSfccInTheBackground()
    {
        Stubs.OmneoFindsIdentity("00000308", Profile("7308", "max@example.com", identities: ("sfcc", "00000308")));
        Stubs.OmneoHasProfile("7308", new { id = "7308", email = "max@example.com", created_at = "2023-01-01 00:00:00" });
        Stubs.SfccDataApiHas("00000308", new
        {
            customer_no = "00000308",
            email = "max@example.com",
            first_name = "Max",
            last_name = "Moss",
            phone_mobile = "+61 400 000 308",
            birthday = "1991-02-03",
            gender = 1,
        });

        var response = await LoginAsync("00000308", "max@example.com");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var put = await Eventually.ReturnsAsync(() => Bodies(Stubs.Omneo, "/api/v3/profiles/7308").FirstOrDefault(b => b.Length > 0));
        var profile = JsonDocument.Parse(put).RootElement;
        Assert.Equal("Max", profile.GetProperty("first_name").GetString());
        Assert.Equal("+61400000308", profile.GetProperty("mobile_phone").GetString());
        Assert.Equal(3, profile.GetProperty("birth_day").GetInt32());
        Assert.Equal(2, profile.GetProperty("birth_month").GetInt32());
        Assert.Equal(1991, profile.GetProperty("birth_year").GetInt32());
        Assert.Equal("male", profile.GetProperty("gender").GetString());
    }

    [Theory]
    [InlineData("a%20b")]
    [InlineData("x%3Cscript%3E")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000001")]
    public async Task AdminCustomer_CustomerNoOutsideTheIdentifierRule_Is400Problem(string customerNo)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/customers/{customerNo}");
        request.Headers.Add("X-Admin-Key", BridgeFactory.AdminKey);

        var response = await Client.SendAsync(request);

        await response.AssertProblemAsync(400);
    }

    [Fact]
    public async Task Login_WithheldEmailStillHeldByABoundProfile_NextLoginDoesNotSearchOmneoAgain()
    {
        Stubs.OmneoEmailSearchReturns("held@example.com", Profile("7320", "held@example.com", identities: ("sfcc", "00000996")));
        Stubs.OmneoCreatesProfile("7321", "unused@example.com");
        Assert.Equal("7321", (await (await LoginAsync("00000320", "held@example.com")).JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal("7321", (await (await LoginAsync("00000320", "held@example.com")).JsonAsync()).GetProperty("profile_id").GetString());
        Stubs.Omneo.ResetLogEntries();

        var response = await LoginAsync("00000320", "held@example.com");

        Assert.Equal("7321", (await response.JsonAsync()).GetProperty("profile_id").GetString());
        Assert.Equal(0, Count(Stubs.Omneo, "/api/v3/profiles", "GET"));
    }
}
