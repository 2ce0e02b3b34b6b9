using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.CustomerAuth;

/// <summary>Without <c>Slas__OrganizationId</c> the bridge starts and answers as before: a SLAS token is just a refused token.</summary>
public sealed class SlasOffTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    [Fact]
    public async Task Login_SlasTokenWhileSlasIsOff_Returns401WithoutAnyUpstreamCall()
    {
        using var key = new SlasKey();
        SlasTokens.ServeJwks(Stubs.Sfcc, key);

        var response = await Client.SendAsync(Http.Login("Bearer " + SlasTokens.Guest(key, Now)));

        await response.AssertProblemAsync(401);
        Assert.Empty(Stubs.Sfcc.LogEntries);
        Assert.Empty(Stubs.LoginCalls());
    }
}
