using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Upstreams;

/// <summary>
/// The backstop in the upstream clients: an identifier that came from an upstream answer or a stored link and could
/// walk a path never goes into an upstream path or lookup; the bridge answers 502 (a bad upstream answer) instead.
/// </summary>
public sealed class UpstreamIdentifierTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    private T Service<T>()
        where T : notnull => Fixture.Bridge.Services.GetRequiredService<T>();

    /// <summary>Both upstreams answer anything with 200, so only the bridge's own refusal keeps a request from being sent.</summary>
    private void UpstreamsAnswerEverything()
    {
        Stubs.Sfcc.Given(Request.Create().UsingAnyMethod()).AtPriority(100).RespondWith(Json(200, Customer("bcany", "00000001", "any@example.com")));
        Stubs.Omneo.Given(Request.Create().UsingAnyMethod()).AtPriority(100).RespondWith(Json(200, new { data = Profile("1", "any@example.com") }));
    }

    private IEnumerable<string> DataApiPaths() =>
        Stubs.Sfcc.LogEntries.Select(e => e.RequestMessage.Path).Where(p => p.StartsWith(Data, StringComparison.Ordinal));

    public static TheoryData<string> UnsafeIdentifiers() => ["..", ".", "../x", "a/b", "%2e%2e", "", "x?y", new string('1', 65)];

    [Theory]
    [MemberData(nameof(UnsafeIdentifiers))]
    public async Task SfccClient_CustomerNoThatWalksThePath_ThrowsBadResponseAndSendsNothing(string customerNo)
    {
        UpstreamsAnswerEverything();
        var sfcc = Service<SfccClient>();

        var get = await Assert.ThrowsAsync<UpstreamException>(() => sfcc.GetCustomerByNumberAsync(customerNo, CancellationToken.None));
        var patch = await Assert.ThrowsAsync<UpstreamException>(() => sfcc.PatchCustomerAsync(customerNo, new JsonObject { ["first_name"] = "X" }, CancellationToken.None));
        var shop = await Assert.ThrowsAsync<UpstreamException>(() => sfcc.GetCustomerWithTokenAsync(customerNo, "token", CancellationToken.None));

        Assert.All([get, patch, shop], e => Assert.Equal(UpstreamFailure.BadResponse, e.Failure));
        Assert.All([get, patch, shop], e => Assert.DoesNotContain(customerNo.Length > 0 ? customerNo : "\u0000", e.Message, StringComparison.Ordinal));
        Assert.Empty(Stubs.Sfcc.LogEntries);
    }

    [Theory]
    [MemberData(nameof(UnsafeIdentifiers))]
    public async Task OmneoClient_IdentifierThatWalksThePath_ThrowsBadResponseAndSendsNothing(string identifier)
    {
        UpstreamsAnswerEverything();
        var omneo = Service<OmneoClient>();

        Func<Task>[] calls =
        [
            () => omneo.FindByIdentityAsync(identifier, CancellationToken.None),
            () => omneo.GetProfileAsync(identifier, CancellationToken.None),
            () => omneo.UpdateProfileAsync(identifier, new OmneoProfileInput(), CancellationToken.None),
            () => omneo.AddIdentityAsync("7001", identifier, CancellationToken.None),
            () => omneo.AddIdentityAsync(identifier, "00000001", CancellationToken.None),
            () => omneo.IssueCustomerTokenAsync(identifier, CancellationToken.None),
            () => omneo.MergeAsync(identifier, "7001", CancellationToken.None),
        ];
        foreach (var call in calls)
        {
            Assert.Equal(UpstreamFailure.BadResponse, (await Assert.ThrowsAsync<UpstreamException>(call)).Failure);
        }

        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task Login_CredentialsAnswerWithCustomerNoThatWalksThePath_Returns502AndNoUpstreamRequestCarriesIt()
    {
        var customerId = OcapiTokens.NewCustomerId();
        Stubs.SfccAcceptsCredentials("mal@example.com", "pw-mal", Customer(customerId, "../x", "mal@example.com"), OcapiTokens.Registered(customerId, Now));
        UpstreamsAnswerEverything();

        var response = await Client.SendAsync(Http.Login(Http.Basic("mal@example.com", "pw-mal")));

        await response.AssertProblemAsync(502);
        Assert.DoesNotContain("../x", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Stubs.Omneo.LogEntries);
        Assert.Empty(DataApiPaths());
    }

    [Fact]
    public async Task Pull_LinkWhoseIdentityIdentifierIsDotDot_NeverReachesADataApiPath()
    {
        // What a profile.merged webhook could leave behind: Omneo's sfcc identity '..' stored as the link's customer_no.
        UpstreamsAnswerEverything();
        Stubs.OmneoHasProfile("8501", Profile("8501", "dot@example.com", identities: ("sfcc", "..")));
        var link = await Service<CustomerLinkStore>().UpsertAsync(ListId, "..", null, "8501", "merge", CancellationToken.None);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Service<CustomerSync>().PullAsync(link, CancellationToken.None));

        Assert.Equal(UpstreamFailure.BadResponse, error.Failure);
        Assert.Empty(DataApiPaths());
    }
}
