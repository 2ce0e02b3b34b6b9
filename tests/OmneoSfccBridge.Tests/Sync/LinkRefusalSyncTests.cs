using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Sfcc;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>
/// A push whose customer cannot be linked: a refusal that asking again would repeat sets the customer aside, a lost
/// race or an Omneo failure is left to the job's retries.
/// </summary>
public sealed class LinkRefusalSyncTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    private T Service<T>()
        where T : notnull => Fixture.Bridge.Services.GetRequiredService<T>();

    private async Task<SyncFailure?> FailureOfAsync(string customerNo) =>
        (await Service<SyncStore>().FailuresAsync(ListId, 500, CancellationToken.None)).SingleOrDefault(f => f.CustomerNo == customerNo);

    private static SfccCustomer Registered(string customerNo, string email) =>
        new() { CustomerId = "bc" + customerNo, CustomerNo = customerNo, AuthType = "registered", Email = email, FirstName = "Rae", LastName = "Fused" };

    [Fact]
    public async Task Push_OmneoRefusesToCreateTheProfile_SetsTheCustomerAsideWithTheRefusal()
    {
        Stubs.OmneoFindsNoOtherIdentity();
        Stubs.OmneoEmailSearchReturns("rae.fused@example.com");
        Stubs.Omneo.Given(Request.Create().WithPath("/api/v3/profiles").UsingPost())
            .RespondWith(Json(422, new { message = "The given data was invalid.", errors = new Dictionary<string, string[]> { ["first_name"] = ["The first name is not allowed."] } }));

        var outcome = await Service<CustomerSync>().PushAsync(Registered("00007701", "rae.fused@example.com"), CancellationToken.None);

        Assert.Equal(SyncOutcome.Failed, outcome);
        var failure = await FailureOfAsync("00007701");
        Assert.Equal((SyncDirection.SfccToOmneo, "Omneo refused to link: profile create refused (first_name)"), (failure?.Direction, failure?.Reason));
        Assert.Null(await Service<CustomerLinkStore>().FindAsync(ListId, "00007701", CancellationToken.None));
    }

    [Fact]
    public async Task Push_CustomerNoThatWalksThePath_SetsTheCustomerAsideAndAsksOmneoNothing()
    {
        var outcome = await Service<CustomerSync>().PushAsync(Registered("../x", "walker@example.com"), CancellationToken.None);

        Assert.Equal(SyncOutcome.Failed, outcome);
        Assert.Equal("Omneo refused to link: refused to put an invalid identity identifier into a request", (await FailureOfAsync("../x"))?.Reason);
        Assert.Empty(Stubs.Omneo.LogEntries);
    }

    [Fact]
    public async Task Push_OmneoDown_ThrowsTheUpstreamFailureForTheJobToRetryAndSetsNothingAside()
    {
        Stubs.OmneoIsDown();

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Service<CustomerSync>().PushAsync(Registered("00007702", "down@example.com"), CancellationToken.None));

        Assert.Equal(UpstreamFailure.Unavailable, error.Failure);
        Assert.Null(await FailureOfAsync("00007702"));
    }
}
