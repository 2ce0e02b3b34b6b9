using Xunit.Abstractions;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// Starts the long collections first (child processes, a backfill across a SIGKILL, the Node tests of the cartridge),
/// so the short ones fill the other cores meanwhile instead of one long test running alone at the end. Only an order
/// of start: a collection missing here, or named wrongly, just starts later, in xunit's own order.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    public const string TypeName = "OmneoSfccBridge.Tests.Infrastructure.LongestFirst";

    /// <summary>Longest first, by their durations in a full run (the ends of the collections' display names).</summary>
    private static readonly string[] Long =
    [
        "Contract.ReferenceCartridgeTests",
        "Sync.BackfillTests",
        PostgresProcessesCollection.Name,
        "Sandbox.SandboxWalkthroughTests",
        PostgresCollection.Name,
        "Sync.DeltaSyncTests",
        "Sandbox.SandboxSafetyTests",
        "Profiles.IdentityTakeoverTests",
        "Sync.OmneoWebhookTests",
        "CustomerAuth.ProfileLinkingTests",
        "Upstreams.OmneoAdminTokenTests",
        "Sandbox.SandboxSyncTests",
        "Storage.SqliteProcessLockTests",
        "CustomerAuth.LocalSignatureTests",
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .Select((collection, index) => (collection, index, rank: Rank(collection.DisplayName)))
            .OrderBy(c => c.rank)
            .ThenBy(c => c.index)
            .Select(c => c.collection);

    private static int Rank(string displayName)
    {
        var rank = Array.FindIndex(Long, name => displayName == name || displayName.EndsWith("." + name, StringComparison.Ordinal) || displayName.Contains("." + name + " ", StringComparison.Ordinal));
        return rank < 0 ? Long.Length : rank;
    }
}
