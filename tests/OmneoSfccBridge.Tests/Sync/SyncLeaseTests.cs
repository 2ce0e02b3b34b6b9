using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>The lease that keeps a delta or backfill on one instance: short-lived, renewed while its job runs.</summary>
public sealed class SyncLeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-lease-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private BridgeDatabase _database = null!;
    private SyncStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = new BridgeDatabase(StorageProvider.Sqlite, $"Data Source={Path.Combine(_directory, "lease.db")}");
        await Migrations.ApplyAsync(_database, CancellationToken.None);
        _store = new SyncStore(_database, _time);
    }

    [Fact]
    public async Task Lease_HeldThreeTimesLongerThanItsTimeToLive_IsRenewedAndNobodyElseGetsIt()
    {
        await using (var lease = await SyncLease.TryTakeAsync(_store, "backfill", Ttl, _time, NullLogger.Instance, CancellationToken.None))
        {
            Assert.NotNull(lease);
            for (var tick = 0; tick < 9; tick++)
            {
                _time.Advance(Ttl / 3);
                var renewedUntil = _time.GetUtcNow().Add(Ttl).ToUnixTimeMilliseconds();
                await Eventually.AwaitsAsync(async () => await ExpiresAtAsync("backfill") == renewedUntil ? "renewed" : null);
            }

            Assert.False(await _store.TryLeaseAsync("backfill", "another-instance", Ttl, CancellationToken.None));
            Assert.False(lease.Lost.IsCancellationRequested);
        }

        Assert.True(await _store.TryLeaseAsync("backfill", "another-instance", Ttl, CancellationToken.None));
    }

    [Fact]
    public async Task Lease_TakenOverWhileItsHolderRuns_CancelsTheHoldersRun()
    {
        await using var lease = await SyncLease.TryTakeAsync(_store, "delta", Ttl, _time, NullLogger.Instance, CancellationToken.None);
        Assert.NotNull(lease);
        await using (var connection = await _database.OpenAsync(CancellationToken.None))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE sync_leases SET holder = 'another-instance' WHERE name = 'delta'";
            await command.ExecuteNonQueryAsync();
        }

        _time.Advance(Ttl / 3);

        await Eventually.ReturnsAsync(() => lease.Lost.IsCancellationRequested ? "lost" : null);
    }

    private async Task<long> ExpiresAtAsync(string name)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT expires_at FROM sync_leases WHERE name = '{name}'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
