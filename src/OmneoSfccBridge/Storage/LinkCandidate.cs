namespace OmneoSfccBridge.Storage;

/// <summary>An Omneo profile that may belong to an SFCC customer but was not linked, and why.</summary>
/// <param name="ProfileId">The profile that matched (by email, or holding the customer's identity beside another's).</param>
/// <param name="Reason">Why it was not linked (policy, unverified email, bound to another customer).</param>
/// <param name="DetectedAt">When the match was last seen.</param>
/// <param name="ResolvedAt">When the candidate stopped being one (linked after verification, or gone); null while open.</param>
/// <param name="Resolution">What resolved it.</param>
public sealed record LinkCandidate(string ProfileId, string Reason, DateTimeOffset DetectedAt, DateTimeOffset? ResolvedAt, string? Resolution);
