using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.CustomerAuth.Tokens;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.CustomerAuth;

/// <summary>How long the bridge trusts what SFCC said about a token, and what cannot get into that memory.</summary>
public sealed class VerdictCacheTests : BridgeTest
{
    public VerdictCacheTests(BridgeFixture fixture)
        : base(fixture)
    {
        Stubs.OmneoIssuesTokens(Now.AddMinutes(15).ToUnixTimeSeconds());
    }

    private int CachedVerdicts => Fixture.Bridge.Services.GetRequiredService<ShopperTokenValidator>().CachedVerdicts;

    [Fact]
    public async Task Login_AcceptedVerdictOlderThanMaxVerdictSeconds_AsksSfccAgainAndHonoursItsRefusal()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccConfirmsToken(token, customerId, Customer(customerId, "00000401", "out@example.com"));
        Stubs.OmneoFindsIdentity("00000401", Profile("7401", "out@example.com", identities: ("sfcc", "00000401")));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Http.Login("Bearer " + token))).StatusCode);

        // The shopper logs out in SFCC: from now on SFCC declines the token, which still has 25 minutes to live.
        Stubs.Reset();
        Stubs.SfccDeclinesOtherTokens();
        Stubs.OmneoIssuesTokens(Now.AddMinutes(15).ToUnixTimeSeconds());
        Stubs.OmneoFindsIdentity("00000401", Profile("7401", "out@example.com", identities: ("sfcc", "00000401")));

        // The test clock is wall time plus an offset: the margins below leave room for a slow machine's real seconds.
        Fixture.Bridge.Time.Advance(TimeSpan.FromSeconds(240));
        var stillCached = await Client.SendAsync(Http.Login("Bearer " + token));
        Assert.Equal(HttpStatusCode.OK, stillCached.StatusCode);
        Assert.DoesNotContain(Stubs.LoginCalls(), call => call.StartsWith("sfcc", StringComparison.Ordinal));

        Fixture.Bridge.Time.Advance(TimeSpan.FromSeconds(61));
        Stubs.Omneo.ResetLogEntries();
        var response = await Client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
        Assert.Equal([$"sfcc {Shop}/customers/{customerId}"], Stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_TokenFromCredentialsLoginAfterMaxVerdictSeconds_IsConfirmedWithSfccAgain()
    {
        var customerId = OcapiTokens.NewCustomerId();
        var token = OcapiTokens.Registered(customerId, Now);
        Stubs.SfccAcceptsCredentials("fay@example.com", "pw-fay", Customer(customerId, "00000402", "fay@example.com"), token);
        Stubs.SfccDeclinesOtherTokens();
        Stubs.OmneoFindsIdentity("00000402", Profile("7402", "fay@example.com", identities: ("sfcc", "00000402")));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Http.Login(Http.Basic("fay@example.com", "pw-fay")))).StatusCode);
        Stubs.Sfcc.ResetLogEntries();
        Stubs.Omneo.ResetLogEntries();

        Fixture.Bridge.Time.Advance(TimeSpan.FromSeconds(301));
        var response = await Client.SendAsync(Http.Login("Bearer " + token));

        await response.AssertProblemAsync(401);
        Assert.Equal([$"sfcc {Shop}/customers/{customerId}"], Stubs.LoginCalls());
    }

    [Fact]
    public async Task Login_ManyTokensRefusedWithoutUpstreamCall_DoNotGrowTheVerdictCache()
    {
        Stubs.SfccDeclinesOtherTokens();
        var before = CachedVerdicts;

        for (var i = 0; i < 200; i++)
        {
            var id = OcapiTokens.NewCustomerId();
            var token = (i % 5) switch
            {
                0 => "garbage-" + id,
                1 => OcapiTokens.Make(id, false, Now.AddHours(-1)),
                2 => OcapiTokens.Make(id, false, Now, alg: "none"),
                3 => OcapiTokens.Make(id, false, Now, lifetime: TimeSpan.FromDays(365)),
                _ => OcapiTokens.Make(id, false, Now, sub: "{\"customer_info\":{\"customer_id\":\"../" + id + "\",\"guest\":false}}"),
            };
            await (await Client.SendAsync(Http.Login("Bearer " + token))).AssertProblemAsync(401);
        }

        Assert.Equal(before, CachedVerdicts);
        Assert.Empty(Stubs.LoginCalls());

        // A refusal SFCC gave is remembered: the count does see the cache.
        var declined = OcapiTokens.Registered(OcapiTokens.NewCustomerId(), Now);
        await (await Client.SendAsync(Http.Login("Bearer " + declined))).AssertProblemAsync(401);
        await (await Client.SendAsync(Http.Login("Bearer " + declined))).AssertProblemAsync(401);
        Assert.Equal(before + 1, CachedVerdicts);
        Assert.Single(Stubs.LoginCalls());
    }
}
