using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Profiles;

/// <summary>The one-off check of links made before one profile could hold only one customer.</summary>
/// <param name="CustomerListId">The SFCC customer list checked.</param>
/// <param name="Conflicts">Links set aside because their profile was linked to another customer too; empty when none.</param>
public sealed record LinkConflictsView(string CustomerListId, IReadOnlyList<LinkConflict> Conflicts);
