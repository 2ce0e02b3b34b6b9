using Dapper;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>The one read an unchanged backfill page makes of its links, on both providers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SyncedHashesStoreTests(PostgresCluster cluster) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-hashes-").FullName;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task SyncedSfccHashes_PageOfTwoHundred_ReturnsTheHashOfEachPassableLinkOfThisListOnly(StorageProvider provider)
    {
        await using var database = await cluster.CreateMigratedDatabaseAsync(provider, _directory);
        var store = new SyncStore(database, TimeProvider.System);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            const string insert = """
                INSERT INTO customer_links (customer_list_id, customer_no, profile_id, match_source, created_at, updated_at, sfcc_state_hash, email_withheld)
                VALUES (@list, @no, @profile, 'created', 0, 0, @hash, @withheld)
                """;
            for (var i = 0; i < 200; i++)
            {
                await connection.ExecuteAsync(insert, new { list = "list", no = $"C{i:D4}", profile = $"P{i}", hash = i == 3 ? null : $"H{i}", withheld = i == 4 ? 1 : 0 });
            }

            // The same numbers on another list, a quote in a number (it travels as JSON on SQLite), and one set aside.
            await connection.ExecuteAsync(insert, new { list = "other", no = "C0005", profile = "Q5", hash = "other", withheld = 0 });
            await connection.ExecuteAsync(insert, new { list = "list", no = "C\"'9", profile = "P-quoted", hash = "quoted", withheld = 0 });
        }

        await store.RecordFailureAsync("list", "C0006", "sfcc-to-omneo", "refused", CancellationToken.None);

        var page = Enumerable.Range(0, 200).Select(i => $"C{i:D4}").Append("C\"'9").Append("unknown").ToList();
        var hashes = await store.SyncedSfccHashesAsync("list", page, CancellationToken.None);

        Assert.Equal(198, hashes.Count);
        Assert.Equal("H0", hashes["C0000"]);
        Assert.Equal("H5", hashes["C0005"]);
        Assert.Equal("H199", hashes["C0199"]);
        Assert.Equal("quoted", hashes["C\"'9"]);
        Assert.DoesNotContain("C0003", hashes.Keys);
        Assert.DoesNotContain("C0004", hashes.Keys);
        Assert.DoesNotContain("C0006", hashes.Keys);
        Assert.Empty(await store.SyncedSfccHashesAsync("list", [], CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
