namespace OmneoSfccBridge.Storage;

/// <summary>A link the schema migration set aside because its profile was already linked to another customer of the list.</summary>
/// <param name="CustomerListId">The SFCC customer list.</param>
/// <param name="CustomerNo">The customer whose link was set aside; its next login or sync links it afresh under the current rules.</param>
/// <param name="ProfileId">The Omneo profile two customers were linked to.</param>
/// <param name="KeptCustomerNo">The customer who kept the link (the earliest linked).</param>
/// <param name="MatchSource">How the set-aside link had been made (identity, email, created).</param>
/// <param name="LinkedAt">When the set-aside link had been made.</param>
/// <param name="MovedAt">When the migration set it aside.</param>
public sealed record LinkConflict(string CustomerListId, string CustomerNo, string ProfileId, string KeptCustomerNo, string MatchSource, DateTimeOffset LinkedAt, DateTimeOffset MovedAt);
