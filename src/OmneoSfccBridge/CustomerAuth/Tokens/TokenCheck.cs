namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>
/// The outcome of checking a token: an identity, or the reason (for logs only) it was refused, and whether an upstream
/// was asked for that verdict (only such verdicts are worth remembering).
/// </summary>
internal readonly record struct TokenCheck(ShopperIdentity? Identity, string? RejectReason, bool AskedUpstream = false)
{
    public static TokenCheck Accept(ShopperIdentity identity) => new(identity, null);

    /// <summary>Refused by the bridge's own checks, without any upstream call.</summary>
    public static TokenCheck Reject(string reason) => new(null, reason);

    /// <summary>Refused on the strength of an upstream's answer.</summary>
    public static TokenCheck RejectedByUpstream(string reason) => new(null, reason, AskedUpstream: true);
}
