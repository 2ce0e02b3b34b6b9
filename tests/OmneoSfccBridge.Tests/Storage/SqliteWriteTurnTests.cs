using Dapper;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Storage;

/// <summary>
/// On SQLite the bridge's write transactions take turns on an async gate (no thread sleeps in SQLite's busy handler
/// waiting for another writer), and checkpoints run on a timer, not inside a writer's commit.
/// </summary>
public sealed class SqliteWriteTurnTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-turn-").FullName;

    private string DatabaseFile => Path.Combine(_directory, "bridge.db");

    private async Task<BridgeDatabase> DatabaseAsync()
    {
        var database = new BridgeDatabase(StorageProvider.Sqlite, $"Data Source={DatabaseFile}");
        await Migrations.ApplyAsync(database, CancellationToken.None);
        return database;
    }

    [Fact]
    public async Task BeginAsync_WhileAnotherWriteIsOpen_WaitsForItsTurnThenWrites()
    {
        await using var database = await DatabaseAsync();
        var links = new CustomerLinkStore(database, TimeProvider.System);

        Task<BridgeTransaction> second;
        await using (var first = await database.BeginAsync(CancellationToken.None))
        {
            await links.TryUpsertAsync(first, ListId, "00000001", null, "p-1", "created", emailWithheld: false, CancellationToken.None);
            second = database.BeginAsync(CancellationToken.None);

            Assert.False(second.IsCompleted);
            await first.CommitAsync(CancellationToken.None);
        }

        await using (var write = await second)
        {
            await links.TryUpsertAsync(write, ListId, "00000002", null, "p-2", "created", emailWithheld: false, CancellationToken.None);
            await write.CommitAsync(CancellationToken.None);
        }

        Assert.NotNull(await links.FindAsync(ListId, "00000001", CancellationToken.None));
        Assert.NotNull(await links.FindAsync(ListId, "00000002", CancellationToken.None));
    }

    [Fact]
    public async Task Writes_NoCommitCheckpoints_TheTimerCopiesTheLogIntoTheDatabaseFile()
    {
        await using var database = await DatabaseAsync();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("PRAGMA wal_autocheckpoint;"));
        }

        var before = new FileInfo(DatabaseFile).Length;
        var audit = new AuditLog(database, TimeProvider.System);
        var detail = new string('x', 1000);
        for (var i = 0; i < 500; i++)
        {
            await audit.RecordAsync("test.event", ListId, $"{i:D8}", null, detail, CancellationToken.None);
        }

        // 500 KB of rows are in the log; the timer's checkpoint moves them into the database file.
        await Eventually.ReturnsAsync(() => new FileInfo(DatabaseFile).Length >= before + 400_000 ? "checkpointed" : null);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
