using Dapper;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>The backfill's page rows (migration 6) on both providers, migrated onto a schema of the previous release.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BackfillPageStoreTests(PostgresCluster cluster) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-pages-").FullName;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task BackfillPages_StoredOnceMarkedOnceAndSummed_CompleteWhenTheShortPageIsApplied(StorageProvider provider)
    {
        await using var database = new BridgeDatabase(provider, await cluster.CreateDatabaseAsync(provider, _directory));
        await Migrations.ApplyAsync(database, 5, CancellationToken.None);
        await Migrations.ApplyAsync(database, CancellationToken.None);
        var store = new SyncStore(database, TimeProvider.System);
        var cursor = DateTimeOffset.Parse("2024-03-01T10:20:30.123+00:00", System.Globalization.CultureInfo.InvariantCulture);

        var first = await store.NewBackfillFirstPageAsync(0, CancellationToken.None);
        Assert.True(await store.AddBackfillPageAsync(first, null, 0, CancellationToken.None));
        Assert.True(await store.AddBackfillPageAsync(first + 1, cursor, 3, CancellationToken.None));
        Assert.False(await store.AddBackfillPageAsync(first + 1, cursor.AddDays(1), 0, CancellationToken.None));
        Assert.True(await store.FinishBackfillPageAsync(first, 4, last: false, "one", CancellationToken.None));
        Assert.False(await store.FinishBackfillPageAsync(first, 4, last: false, "two", CancellationToken.None));

        var stored = await store.BackfillPageAsync(first + 1, CancellationToken.None);
        Assert.Equal(new BackfillPage(first + 1, cursor, 3, null, null), stored);
        Assert.Equal([first + 1], await store.OpenBackfillPagesAsync(first, CancellationToken.None));
        var midway = await store.BackfillPagesAsync(first, CancellationToken.None);
        Assert.Equal(4, midway.Done);
        Assert.False(midway.Complete);

        Assert.True(await store.FinishBackfillPageAsync(first + 1, 1, last: true, "two", CancellationToken.None));
        var complete = await store.BackfillPagesAsync(first, CancellationToken.None);
        Assert.Equal(5, complete.Done);
        Assert.True(complete.Complete);
        Assert.Empty(await store.OpenBackfillPagesAsync(first, CancellationToken.None));

        var next = await store.NewBackfillFirstPageAsync(first, CancellationToken.None);
        Assert.Equal(first + 2, next);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM backfill_pages"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
