using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Profiles;

/// <summary>A link as support sees it: who is linked to what, since when, and every decision taken about it.</summary>
/// <param name="Link">The Omneo profile the customer is linked to, when linked.</param>
/// <param name="History">Every decision taken about the customer, oldest first.</param>
/// <param name="Conversion">The guest registration that created the customer, when the bridge made it.</param>
/// <param name="Candidates">Omneo profiles that matched but were not linked, and why (open ones first).</param>
public sealed record CustomerLinkView(CustomerLink? Link, IReadOnlyList<AuditEvent> History, Conversion? Conversion = null, IReadOnlyList<LinkCandidate>? Candidates = null);
