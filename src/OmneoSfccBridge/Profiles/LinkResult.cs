using System.Diagnostics;
using System.Runtime.ExceptionServices;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;

namespace OmneoSfccBridge.Profiles;

/// <summary>What <see cref="ProfileLinker"/> made of a customer: a link, a refusal, or an Omneo failure.</summary>
internal abstract record LinkResult
{
    private LinkResult()
    {
    }

    /// <summary>The customer is linked to one Omneo profile.</summary>
    public sealed record Linked(CustomerLink Link) : LinkResult;

    /// <summary>
    /// No link: Omneo answered, but the answer leaves the customer without one. <paramref name="Detail"/> is a short
    /// technical reason for logs and the sync's failure list (no personal data).
    /// </summary>
    public sealed record Refused(LinkRefusal Reason, string Detail) : LinkResult
    {
        /// <summary>Asking again gives the same answer until someone changes the data; otherwise a race was lost and a retry may link.</summary>
        public bool Final => Reason is LinkRefusal.ProfileCreateRefused or LinkRefusal.IdentityHeldElsewhere or LinkRefusal.InvalidCustomerNo;
    }

    /// <summary>Omneo failed (down, throttling, timing out, or answering garbage); <paramref name="Problem"/> says how.</summary>
    public sealed record UpstreamFailed(UpstreamException Problem) : LinkResult;

    /// <summary>
    /// The link, for callers that answer every other outcome as an upstream failure (a 502/503/504 ProblemDetails, or a
    /// Hangfire retry): a refusal is thrown as Omneo's unusable answer, an upstream failure as it was raised.
    /// </summary>
    public CustomerLink LinkOrThrow()
    {
        switch (this)
        {
            case Linked linked:
                return linked.Link;
            case Refused refused:
                throw new UpstreamException(OmneoClient.Name, UpstreamFailure.BadResponse, refused.Detail);
            case UpstreamFailed failed:
                ExceptionDispatchInfo.Throw(failed.Problem);
                break;
        }

        throw new UnreachableException();
    }
}
