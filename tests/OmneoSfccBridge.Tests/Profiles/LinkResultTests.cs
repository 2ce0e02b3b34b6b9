using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;

namespace OmneoSfccBridge.Tests.Profiles;

public sealed class LinkResultTests
{
    [Fact]
    public void LinkOrThrow_Refused_ThrowsOmneosUnusableAnswerWithTheDetail()
    {
        var refused = new LinkResult.Refused(LinkRefusal.ProfileCreateRefused, "profile create refused (first_name)");

        var error = Assert.Throws<UpstreamException>(refused.LinkOrThrow);

        Assert.Equal((OmneoClient.Name, UpstreamFailure.BadResponse, "profile create refused (first_name)"), (error.Upstream, error.Failure, error.Reason));
    }

    [Fact]
    public void LinkOrThrow_UpstreamFailed_ThrowsTheOriginalFailureWithItsRetryAfter()
    {
        var problem = new UpstreamException(OmneoClient.Name, UpstreamFailure.Throttled, "429", TimeSpan.FromSeconds(7));

        var error = Assert.Throws<UpstreamException>(new LinkResult.UpstreamFailed(problem).LinkOrThrow);

        Assert.Same(problem, error);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Theory]
    [InlineData(nameof(LinkRefusal.ProfileCreateRefused), true)]
    [InlineData(nameof(LinkRefusal.IdentityHeldElsewhere), true)]
    [InlineData(nameof(LinkRefusal.InvalidCustomerNo), true)]
    [InlineData(nameof(LinkRefusal.NewProfileTaken), false)]
    [InlineData(nameof(LinkRefusal.EarlierProfileTaken), false)]
    public void Refused_LostRacesAreNotFinal(string reason, bool final) =>
        Assert.Equal(final, new LinkResult.Refused(Enum.Parse<LinkRefusal>(reason), "detail").Final);
}
