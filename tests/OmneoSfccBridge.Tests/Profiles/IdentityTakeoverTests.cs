using System.Net;
using System.Text.Json;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.CustomerRegistration;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Profiles;

/// <summary>
/// The account-takeover attacks on profile linking, played against the stateful simulated SFCC and Omneo (unique
/// emails, identities, merges), so what is asserted is what Omneo ends up holding.
/// </summary>
public sealed class IdentityTakeoverTests : IDisposable
{
    private const string StrangerPassword = "Str4nger-Pass!";

    private readonly SandboxSfcc _sfcc = new(TimeProvider.System);
    private readonly SandboxOmneo _omneo = new(TimeProvider.System);
    private SandboxBridge? _bridge;

    private SandboxBridge Bridge(string emailMatch = "Verified") => _bridge ??= new SandboxBridge(_sfcc, _omneo, overrides: new Dictionary<string, string?>
    {
        ["Profiles:EmailMatch"] = emailMatch,
        ["Sync:DeltaIntervalMinutes"] = "0",
    });

    private async Task<JsonElement> CreateAsStrangerAsync(SandboxBridge bridge, string email)
    {
        var response = await bridge.Admin.SendAsync(Http.Create("Bearer " + _sfcc.IssueGuestToken(), CreateTests.Body(email, StrangerPassword, "Mallory", login: "stranger@evil.example")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    private static async Task<JsonElement> LoginAsync(SandboxBridge bridge, string login, string password)
    {
        var response = await bridge.Admin.SendAsync(Http.Login(Http.Basic(login, password)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static async Task<JsonElement> AdminViewAsync(SandboxBridge bridge, string customerNo)
    {
        var response = await bridge.Admin.GetAsync($"/admin/customers/{customerNo}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Create_StrangerRegistersWithAVictimsEmailAndLogsIn_GetsOwnProfileAndTheVictimsGainsNoIdentity()
    {
        var victim = _omneo.AddProfile("victim@example.com", "Vera", "Victim");
        victim.MobilePhone = "+61400000777";
        var bridge = Bridge();

        var created = await CreateAsStrangerAsync(bridge, "victim@example.com");
        var login = await LoginAsync(bridge, "stranger@evil.example", StrangerPassword);

        var own = created.GetProperty("profile_id").GetString();
        Assert.NotEqual(victim.Id, own);
        Assert.Equal(own, login.GetProperty("profile_id").GetString());
        Assert.Empty(victim.Identities);
        Assert.Null(_omneo.Find(own!)!.Email);
        Assert.Null(_omneo.Find(own!)!.MobilePhone);
        var view = await AdminViewAsync(bridge, created.GetProperty("customer_no").GetString()!);
        var candidate = Assert.Single(view.GetProperty("candidates").EnumerateArray());
        Assert.Equal(victim.Id, candidate.GetProperty("profile_id").GetString());
        Assert.Contains("not verified", candidate.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_StrangerRegistersWithARegisteredVictimsEmail_EvenUnderAlways_NeverGetsTheVictimsProfile()
    {
        var victimCustomer = _sfcc.AddCustomer("vic@example.com", "Victim-Pass1!", "Vic", "Tim").WithEmailVerified(true);
        var victim = _omneo.AddProfile("vic@example.com", "Vic", "Tim", victimCustomer.CustomerNo);
        var bridge = Bridge(emailMatch: "Always");

        var created = await CreateAsStrangerAsync(bridge, "vic@example.com");
        var login = await LoginAsync(bridge, "stranger@evil.example", StrangerPassword);

        Assert.NotEqual(victim.Id, created.GetProperty("profile_id").GetString());
        Assert.NotEqual(victim.Id, login.GetProperty("profile_id").GetString());
        Assert.Equal([("sfcc", victimCustomer.CustomerNo)], victim.Identities);
        Assert.Equal(victim.Id, (await LoginAsync(bridge, "vic@example.com", "Victim-Pass1!")).GetProperty("profile_id").GetString());
    }

    [Fact]
    public async Task Create_UnderAlways_AGuestWithAnEarlierProfileIsConvertedIntoIt()
    {
        var earlier = _omneo.AddProfile("guest.buyer@example.com", "Gus", "Buyer");
        var bridge = Bridge(emailMatch: "Always");

        var created = await CreateAsStrangerAsync(bridge, "guest.buyer@example.com");

        Assert.Equal(earlier.Id, created.GetProperty("profile_id").GetString());
        Assert.Equal([("sfcc", created.GetProperty("customer_no").GetString()!)], earlier.Identities);
    }

    [Fact]
    public async Task Delta_StorefrontRegistrationWithAVictimsEmail_LinksNothingAndCopiesNoVictimFieldIntoSfcc()
    {
        var victim = _omneo.AddProfile("target@example.com", "Tara", "Target");
        victim.MobilePhone = "+61400000888";
        victim.BirthYear = 1980;
        var stranger = _sfcc.AddCustomer("target@example.com", StrangerPassword, "Mallory", "Stranger");
        var bridge = Bridge();

        var status = await bridge.RunDeltaAsync();

        Assert.Empty(victim.Identities);
        var own = Assert.Single(_omneo.All(), p => p.Identities.Contains(("sfcc", stranger.CustomerNo)));
        Assert.NotEqual(victim.Id, own.Id);
        Assert.Null(own.Email);
        Assert.Null(_sfcc.FindByNumber(stranger.CustomerNo)!.PhoneMobile);
        Assert.Equal("Tara", victim.FirstName);
        Assert.Equal(0, status.GetProperty("failed_records_total").GetInt64());
    }

    [Fact]
    public async Task Login_EmailVerifiedLater_MergesTheOwnProfileIntoTheEarlierOne()
    {
        var earlier = _omneo.AddProfile("fran@example.com", "Fran", "Fox");
        var fran = _sfcc.AddCustomer("fran@example.com", "Fran-Pass1!", "Fran", "Fox").WithEmailVerified(false);
        var bridge = Bridge();

        var before = await LoginAsync(bridge, "fran@example.com", "Fran-Pass1!");
        var own = before.GetProperty("profile_id").GetString()!;
        _sfcc.Update(fran.CustomerNo, c => c.WithEmailVerified(true));
        var after = await LoginAsync(bridge, "fran@example.com", "Fran-Pass1!");

        Assert.NotEqual(earlier.Id, own);
        Assert.Equal(earlier.Id, after.GetProperty("profile_id").GetString());
        Assert.Null(_omneo.Find(own));
        Assert.Contains(("sfcc", fran.CustomerNo), earlier.Identities);
        var view = await AdminViewAsync(bridge, fran.CustomerNo);
        Assert.False(view.GetProperty("link").GetProperty("email_withheld").GetBoolean());
        Assert.All(view.GetProperty("candidates").EnumerateArray(), c => Assert.NotEqual(JsonValueKind.Null, c.GetProperty("resolved_at").ValueKind));
    }

    [Fact]
    public async Task Login_VerifiedEmail_LinksTheEarlierProfileAtOnce()
    {
        var earlier = _omneo.AddProfile("bob@example.com", "Bob", "Baker");
        _sfcc.AddCustomer("bob@example.com", "Bob-Pass1!", "Bob", "Baker").WithEmailVerified(true);

        var login = await LoginAsync(Bridge(), "bob@example.com", "Bob-Pass1!");

        Assert.Equal(earlier.Id, login.GetProperty("profile_id").GetString());
    }

    [Fact]
    public async Task Login_NeverPolicy_AVerifiedEmailMatchIsStillOnlyACandidate()
    {
        var earlier = _omneo.AddProfile("nell@example.com", "Nell", "Never");
        var nell = _sfcc.AddCustomer("nell@example.com", "Nell-Pass1!", "Nell", "Never").WithEmailVerified(true);
        var bridge = Bridge(emailMatch: "Never");

        var login = await LoginAsync(bridge, "nell@example.com", "Nell-Pass1!");

        Assert.NotEqual(earlier.Id, login.GetProperty("profile_id").GetString());
        Assert.Empty(earlier.Identities);
        var candidate = Assert.Single((await AdminViewAsync(bridge, nell.CustomerNo)).GetProperty("candidates").EnumerateArray());
        Assert.Contains("Never", candidate.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_EmailMatchOutsideTheThreeValues_FailsNamingTheKey()
    {
        var failure = Record.Exception(() => Bridge(emailMatch: "Sometimes").Bridge.Services.GetType());

        Assert.NotNull(failure);
        Assert.Contains("Profiles", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("EmailMatch", failure.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _bridge?.Dispose();
        _sfcc.Dispose();
        _omneo.Dispose();
    }
}
