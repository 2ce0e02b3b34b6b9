using System.Globalization;
using System.Net;
using System.Text.Json;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

/// <summary>
/// Forged OCAPI tokens built by hand, as an attacker would: impossible times, duplicate members, customer ids that walk
/// a path. SFCC here confirms every token it is shown, so a token the bridge fails to refuse on its own is accepted:
/// each refusal below is the bridge's, made before any upstream call.
/// </summary>
public sealed class TokenHardeningTests : BridgeTest
{
    public TokenHardeningTests(BridgeFixture fixture)
        : base(fixture)
    {
        Stubs.OmneoIssuesTokens(Now.AddMinutes(15).ToUnixTimeSeconds());
    }

    private long NowSeconds => Now.ToUnixTimeSeconds();

    /// <summary>Whatever it is asked, on any path (the Shop API root included), SFCC answers with a registered customer.</summary>
    private void SfccConfirmsEverything(string customerId = "bcvictim", string customerNo = "00000301") =>
        Stubs.Sfcc.Given(Request.Create().UsingAnyMethod())
            .AtPriority(100)
            .RespondWith(Json(200, Customer(customerId, customerNo, "victim@example.com")));

    private static string Sub(string customerId, bool guest = false) =>
        JsonSerializer.Serialize(new { _v = "1", customer_info = new { customer_id = customerId, guest, visit_id = "cd3f644e75d157e8c2b00239f6" } });

    /// <summary>A token from raw header and payload JSON, with a signature-shaped last part.</summary>
    private static string Raw(string payload, string header = """{"_v":"1","alg":"HS256","typ":"JWT"}""") =>
        OcapiTokens.Encode(header) + "." + OcapiTokens.Encode(payload) + ".c2lnbmF0dXJlLW5vdC1jaGVja2VkLW9mZmxpbmU";

    /// <summary>A payload like SFCC's, with <paramref name="extra"/> JSON members appended (e.g. <c>"nbf":1</c>).</summary>
    private string Payload(string exp, string sub, string extra = "") =>
        $$"""{"_v":"1","exp":{{exp}},"iat":{{NowSeconds}},"iss":"{{OcapiTokens.ClientId}}","sub":{{JsonSerializer.Serialize(sub)}}{{(extra.Length > 0 ? "," + extra : "")}}}""";

    private string Soon => (NowSeconds + 1800).ToString(CultureInfo.InvariantCulture);

    private async Task AssertRefusedWithoutUpstreamCallAsync(string token)
    {
        var response = await Client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
        Assert.Equal("The credentials or the token were not accepted.", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Empty(Stubs.Sfcc.LogEntries);
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Theory]
    [InlineData("253402300800")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999")]
    [InlineData("1e30")]
    [InlineData("1e400")]
    [InlineData("1800000000.5")]
    [InlineData("-1")]
    [InlineData("\"1800000000\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{}")]
    public async Task Login_ForgedTokenWithUnusableExp_Returns401WithoutAnyUpstreamCall(string exp)
    {
        SfccConfirmsEverything();

        await AssertRefusedWithoutUpstreamCallAsync(Raw(Payload(exp, Sub("bcvictim"))));
    }

    [Fact]
    public async Task Login_TokenLivingLongerThanTheMaxLifetime_Returns401WithoutAnyUpstreamCall()
    {
        SfccConfirmsEverything();
        var exp = (NowSeconds + 86_400 + 120).ToString(CultureInfo.InvariantCulture);

        await AssertRefusedWithoutUpstreamCallAsync(Raw(Payload(exp, Sub("bcvictim"))));
    }

    [Fact]
    public async Task Login_TokenWithinTheMaxLifetime_IsConfirmedWithSfcc()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Make(customerId, false, Now, lifetime: TimeSpan.FromHours(23));
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000302", "long@example.com"));
        Stubs.OmneoFindsIdentity("00000302", Profile("7302", "long@example.com", identities: ("sfcc", "00000302")));

        var response = await Client.SendAsync(Http.Login("Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([$"sfcc {Shop}/customers/{customerId}", "omneo /api/v3/profiles/search-id", "omneo /id/api/v1/auth/token"], Stubs.LoginCalls());
    }

    [Theory]
    [InlineData("\"iat\":\"yesterday\"")]
    [InlineData("\"iat\":1e30")]
    [InlineData("\"iat\":99999999999999999999")]
    [InlineData("\"nbf\":\"now\"")]
    [InlineData("\"nbf\":-5")]
    [InlineData("\"nbf\":253402300800")]
    [InlineData("\"nbf\":NOW+600")]
    public async Task Login_ForgedTokenWithUnusableIatOrNbf_Returns401WithoutAnyUpstreamCall(string claim)
    {
        SfccConfirmsEverything();
        claim = claim.Replace("NOW", NowSeconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (claim.Contains('+', StringComparison.Ordinal))
        {
            var sum = claim.Split(':')[1].Split('+').Sum(long.Parse);
            claim = claim.Split(':')[0] + ":" + sum.ToString(CultureInfo.InvariantCulture);
        }

        // A second iat would be a duplicate: drop the usual one when the case brings its own.
        var payload = Payload(Soon, Sub("bcvictim"), claim);
        if (claim.StartsWith("\"iat\"", StringComparison.Ordinal))
        {
            payload = payload.Replace($"\"iat\":{NowSeconds},", "", StringComparison.Ordinal);
        }

        await AssertRefusedWithoutUpstreamCallAsync(Raw(payload));
    }

    [Fact]
    public async Task Login_TokenWithPassedNbf_IsConfirmedWithSfcc()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = Raw(Payload(Soon, Sub(customerId), $"\"nbf\":{NowSeconds - 5}"));
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000303", "nbf@example.com"));
        Stubs.OmneoFindsIdentity("00000303", Profile("7303", "nbf@example.com", identities: ("sfcc", "00000303")));

        var response = await Client.SendAsync(Http.Login("Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, string> DuplicateMembers() => new()
    {
        // name, header, payload (EXP stands for a good exp, SUB for a good sub as a JSON string)
        { "alg twice in the header", """{"_v":"1","alg":"none","alg":"HS256","typ":"JWT"}""", """{"exp":EXP,"iss":"test-ocapi-client","sub":SUB}""" },
        { "exp twice", """{"_v":"1","alg":"HS256","typ":"JWT"}""", """{"exp":1,"exp":EXP,"iss":"test-ocapi-client","sub":SUB}""" },
        { "exp twice, once escaped", """{"_v":"1","alg":"HS256","typ":"JWT"}""", """{"exp":EXP,"\u0065xp":EXP,"iss":"test-ocapi-client","sub":SUB}""" },
        { "iss twice", """{"_v":"1","alg":"HS256","typ":"JWT"}""", """{"exp":EXP,"iss":"someone-else","iss":"test-ocapi-client","sub":SUB}""" },
        { "sub twice", """{"_v":"1","alg":"HS256","typ":"JWT"}""", """{"exp":EXP,"iss":"test-ocapi-client","sub":"{}","sub":SUB}""" },
        { "customer_id twice in sub", """{"_v":"1","alg":"HS256","typ":"JWT"}""", """{"exp":EXP,"iss":"test-ocapi-client","sub":"{\"customer_info\":{\"customer_id\":\"bcattacker\",\"customer_id\":\"bcvictim\",\"guest\":false}}"}""" },
        { "guest twice in sub", """{"_v":"1","alg":"HS256","typ":"JWT"}""", """{"exp":EXP,"iss":"test-ocapi-client","sub":"{\"customer_info\":{\"customer_id\":\"bcvictim\",\"guest\":true,\"guest\":false}}"}""" },
        { "customer_info twice in sub", """{"_v":"1","alg":"HS256","typ":"JWT"}""", """{"exp":EXP,"iss":"test-ocapi-client","sub":"{\"customer_info\":{},\"customer_info\":{\"customer_id\":\"bcvictim\",\"guest\":false}}"}""" },
    };

    [Theory]
    [MemberData(nameof(DuplicateMembers))]
    public async Task Login_TokenWithDuplicateMemberNames_Returns401WithoutAnyUpstreamCall(string _, string header, string payload)
    {
        SfccConfirmsEverything();
        payload = payload.Replace("EXP", Soon, StringComparison.Ordinal).Replace("SUB", JsonSerializer.Serialize(Sub("bcvictim")), StringComparison.Ordinal);

        await AssertRefusedWithoutUpstreamCallAsync(Raw(payload, header));
    }

    public static TheoryData<string> UnsafeCustomerIds() =>
        ["..", ".", "a/b", "../customers/bcvictim", "%2e%2e", "%2E%2E%2F", "", " ", new string('a', 65), "a?b=c", "a#b", "a b", "a\\b", "bc\u00e9", "a\nb"];

    [Theory]
    [MemberData(nameof(UnsafeCustomerIds))]
    public async Task Login_TokenWhoseCustomerIdWalksThePath_Returns401WithoutAnyUpstreamCall(string customerId)
    {
        SfccConfirmsEverything(customerId: customerId);

        await AssertRefusedWithoutUpstreamCallAsync(Raw(Payload(Soon, Sub(customerId))));
    }

    [Fact]
    public async Task Create_GuestTokenWhoseCustomerIdIsDotDot_Returns401WithoutAnyUpstreamCall()
    {
        SfccConfirmsEverything(customerId: "..");
        var token = Raw(Payload(Soon, Sub("..", guest: true)));

        var response = await Client.SendAsync(Http.Create("Bearer " + token, OmneoSfccBridge.Tests.CustomerRegistration.CreateTests.Body("gus@example.com")));

        await response.AssertProblemAsync(401);
        // The request's own calls only: an earlier test's background profile refresh may still read the Data API.
        Assert.Empty(Stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_SfccAnswerNamesAnotherCustomer_Returns401WithoutOmneoCall()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, Customer("bcsomeoneelse", "00000304", "else@example.com"));

        var response = await Client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
        Assert.Equal([$"sfcc {Shop}/customers/{customerId}"], Stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_SfccAnswerWithoutCustomerId_Returns401WithoutOmneoCall()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, new { _v = "23.2", auth_type = "registered", customer_no = "00000305", email = "anon@example.com" });

        var response = await Client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
        Assert.Equal([$"sfcc {Shop}/customers/{customerId}"], Stubs.LoginCalls());
    }
}
