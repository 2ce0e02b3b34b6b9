using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Storage;

/// <summary>
/// A link made for a new profile is written with its audit event and the end of its noted creation in one
/// transaction (<see cref="BridgeTransaction"/>): all of it or none, on both providers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LinkTransactionTests(PostgresCluster cluster) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-linktx-").FullName;

    private Task<BridgeDatabase> DatabaseAsync(StorageProvider provider) => cluster.CreateMigratedDatabaseAsync(provider, _directory);

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task LinkWrite_Committed_StoresTheLinkAndItsAuditEventAndEndsTheNotedCreation(StorageProvider provider)
    {
        await using var database = await DatabaseAsync(provider);
        var (links, audit) = await WriteCreatedLinkAsync(database, commit: true);

        Assert.Equal("p-1", (await links.FindAsync(ListId, "00000001", CancellationToken.None))?.ProfileId);
        Assert.Equal("link.created", Assert.Single(await audit.ForCustomerAsync(ListId, "00000001", CancellationToken.None)).Kind);
        Assert.Null(await links.InterruptedCreationAsync(ListId, "00000001", CancellationToken.None));
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task LinkWrite_InterruptedBeforeItsCommit_LeavesNoLinkNoAuditEventAndTheNotedCreationForTheNextAttempt(StorageProvider provider)
    {
        await using var database = await DatabaseAsync(provider);
        var (links, audit) = await WriteCreatedLinkAsync(database, commit: false);

        Assert.Null(await links.FindAsync(ListId, "00000001", CancellationToken.None));
        Assert.Empty(await audit.ForCustomerAsync(ListId, "00000001", CancellationToken.None));
        Assert.NotNull(await links.InterruptedCreationAsync(ListId, "00000001", CancellationToken.None));
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task LinkWrite_ProfileLinkedToAnotherCustomer_IsRefusedWithoutAnErrorAndTheOtherLinkStands(StorageProvider provider)
    {
        await using var database = await DatabaseAsync(provider);
        var links = new CustomerLinkStore(database, TimeProvider.System);
        await links.UpsertAsync(ListId, "00000002", null, "p-1", "email", CancellationToken.None);
        await links.NoteCreationAsync(ListId, "00000001", CancellationToken.None);

        await using (var write = await database.BeginAsync(CancellationToken.None))
        {
            Assert.Null(await links.TryUpsertAsync(write, ListId, "00000001", null, "p-1", "created", emailWithheld: false, CancellationToken.None));
        }

        Assert.Null(await links.FindAsync(ListId, "00000001", CancellationToken.None));
        Assert.Equal("00000002", (await links.FindByProfileAsync(ListId, "p-1", CancellationToken.None))?.CustomerNo);
        Assert.NotNull(await links.InterruptedCreationAsync(ListId, "00000001", CancellationToken.None));
    }

    [Fact]
    public async Task LinkWrite_CachedLink_IsServedUntilTheTransactionIsOverThenReadAfresh()
    {
        await using var database = await DatabaseAsync(StorageProvider.Sqlite);
        var links = new CustomerLinkStore(database, TimeProvider.System, new CustomerLinkCache(TimeSpan.FromMinutes(5), TimeProvider.System));
        await links.UpsertAsync(ListId, "00000001", null, "p-old", "email", CancellationToken.None);
        Assert.Equal("p-old", (await links.FindRecentAsync(ListId, "00000001", CancellationToken.None))?.ProfileId);

        await using (var write = await database.BeginAsync(CancellationToken.None))
        {
            await links.TryUpsertAsync(write, ListId, "00000001", null, "p-new", "created", emailWithheld: false, CancellationToken.None);

            // Not committed: the database still says p-old, and so may the cache.
            Assert.Equal("p-old", (await links.FindRecentAsync(ListId, "00000001", CancellationToken.None))?.ProfileId);
            await write.CommitAsync(CancellationToken.None);
        }

        Assert.Equal("p-new", (await links.FindRecentAsync(ListId, "00000001", CancellationToken.None))?.ProfileId);
    }

    /// <summary>Notes customer 00000001's creation, then writes its link to p-1, the audit event and the end of the note in one transaction.</summary>
    private static async Task<(CustomerLinkStore Links, AuditLog Audit)> WriteCreatedLinkAsync(BridgeDatabase database, bool commit)
    {
        var links = new CustomerLinkStore(database, TimeProvider.System);
        var audit = new AuditLog(database, TimeProvider.System);
        await links.NoteCreationAsync(ListId, "00000001", CancellationToken.None);
        await using var write = await database.BeginAsync(CancellationToken.None);
        Assert.NotNull(await links.TryUpsertAsync(write, ListId, "00000001", null, "p-1", "created", emailWithheld: false, CancellationToken.None));
        await audit.RecordAsync(write, "link.created", ListId, "00000001", "p-1", null, CancellationToken.None);
        await links.ClearCreationAsync(write, ListId, "00000001", CancellationToken.None);
        if (commit)
        {
            await write.CommitAsync(CancellationToken.None);
        }

        return (links, audit);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
