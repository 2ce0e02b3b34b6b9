using Dapper;
using Microsoft.Extensions.Time.Testing;
using OmneoSfccBridge.Storage;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Storage;

/// <summary>
/// The link cache a login reads through (<see cref="CustomerLinkStore.FindRecentAsync"/>): every write of this instance
/// is seen by its next login at once; another instance's write within the cache's lifetime, never later.
/// </summary>
public sealed class CustomerLinkCacheTests : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-link-cache-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private BridgeDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = new BridgeDatabase(StorageProvider.Sqlite, $"Data Source={Path.Combine(_directory, "bridge.db")}");
        await Migrations.ApplyAsync(_database, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>An instance of the bridge: its own cache over the shared database.</summary>
    private CustomerLinkStore Instance(TimeSpan? lifetime = null) => new(_database, _time, new CustomerLinkCache(lifetime ?? Lifetime, _time));

    private Task<CustomerLink?> RecentAsync(CustomerLinkStore store, string customerNo) =>
        store.FindRecentAsync(ListId, customerNo, CancellationToken.None).AsTask();

    /// <summary>Changes the row behind the store's back, as another instance's write would.</summary>
    private async Task RelinkElsewhereAsync(string customerNo, string profileId)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "UPDATE customer_links SET profile_id = @profileId WHERE customer_list_id = @ListId AND customer_no = @customerNo",
            new { profileId, ListId, customerNo });
    }

    [Fact]
    public async Task FindRecent_LinkReadOnce_IsServedFromMemoryUntilTheLifetimeEnds()
    {
        var store = Instance();
        await store.UpsertAsync(ListId, "00000001", null, "7001", "identity", CancellationToken.None);
        Assert.Equal("7001", (await RecentAsync(store, "00000001"))?.ProfileId);

        await RelinkElsewhereAsync("00000001", "7002");
        _time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal("7001", (await RecentAsync(store, "00000001"))?.ProfileId);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("7002", (await RecentAsync(store, "00000001"))?.ProfileId);
    }

    [Fact]
    public async Task FindRecent_LifetimeZero_ReadsTheDatabaseEveryTime()
    {
        var store = Instance(TimeSpan.Zero);
        await store.UpsertAsync(ListId, "00000002", null, "7011", "identity", CancellationToken.None);
        Assert.Equal("7011", (await RecentAsync(store, "00000002"))?.ProfileId);

        await RelinkElsewhereAsync("00000002", "7012");

        Assert.Equal("7012", (await RecentAsync(store, "00000002"))?.ProfileId);
    }

    [Fact]
    public async Task FindRecent_NoLink_IsNotRemembered()
    {
        var store = Instance();
        var other = Instance();
        Assert.Null(await RecentAsync(store, "00000003"));

        await other.UpsertAsync(ListId, "00000003", null, "7021", "created", CancellationToken.None);

        Assert.Equal("7021", (await RecentAsync(store, "00000003"))?.ProfileId);
    }

    [Fact]
    public async Task FindRecent_AfterThisInstanceRelinksTheCustomer_IsTheNewProfileAtOnce()
    {
        var store = Instance();
        await store.UpsertAsync(ListId, "00000004", null, "7031", "identity", CancellationToken.None);
        Assert.Equal("7031", (await RecentAsync(store, "00000004"))?.ProfileId);

        await store.UpsertAsync(ListId, "00000004", null, "7032", "merge", CancellationToken.None);

        Assert.Equal("7032", (await RecentAsync(store, "00000004"))?.ProfileId);
    }

    [Fact]
    public async Task FindRecent_AfterThisInstanceDropsTheLink_IsNull()
    {
        var store = Instance();
        await store.UpsertAsync(ListId, "00000005", null, "7041", "identity", CancellationToken.None);
        var link = await RecentAsync(store, "00000005");

        Assert.True(await store.DeleteAsync(ListId, "00000005", link!.ProfileId, CancellationToken.None));

        Assert.Null(await RecentAsync(store, "00000005"));
    }

    [Fact]
    public async Task FindRecent_AfterARefusedUpsertOrADeleteThatMatchedNothing_ReadsTheDatabaseAgain()
    {
        // Writes that change nothing here still drop the entry: the row may have been changed by another instance.
        var store = Instance();
        await store.UpsertAsync(ListId, "00000006", null, "7051", "identity", CancellationToken.None);
        await store.UpsertAsync(ListId, "00000007", null, "7052", "identity", CancellationToken.None);
        Assert.Equal("7051", (await RecentAsync(store, "00000006"))?.ProfileId);
        Assert.Equal("7052", (await RecentAsync(store, "00000007"))?.ProfileId);
        await RelinkElsewhereAsync("00000006", "7053");
        await RelinkElsewhereAsync("00000007", "7054");

        Assert.Null(await store.TryUpsertAsync(ListId, "00000006", null, "7054", "email", emailWithheld: false, CancellationToken.None));
        Assert.False(await store.DeleteAsync(ListId, "00000007", "7052", CancellationToken.None));

        Assert.Equal("7053", (await RecentAsync(store, "00000006"))?.ProfileId);
        Assert.Equal("7054", (await RecentAsync(store, "00000007"))?.ProfileId);
    }

    [Fact]
    public async Task FindRecent_AfterTheSyncOrALoginUpdatesTheLink_ShowsTheUpdate()
    {
        var store = Instance();
        await store.UpsertAsync(ListId, "00000008", null, "7061", "identity", CancellationToken.None);
        Assert.Null((await RecentAsync(store, "00000008"))?.LastRefreshedAt);

        await store.MarkRefreshedAsync(ListId, "00000008", "hash-1", CancellationToken.None);
        Assert.Equal("hash-1", (await RecentAsync(store, "00000008"))?.SfccStateHash);

        await store.MarkSyncedAsync(ListId, "00000008", "{}", "hash-2", "hash-3", CancellationToken.None);
        Assert.Equal("hash-2", (await RecentAsync(store, "00000008"))?.SfccStateHash);

        await store.RememberSfccCustomerIdAsync(ListId, "00000008", "cid-8", CancellationToken.None);
        Assert.Equal("cid-8", (await RecentAsync(store, "00000008"))?.SfccCustomerId);
    }

    [Fact]
    public async Task FindRecent_AnotherInstancesMove_IsSeenWithinTheLifetimeWhileTheMovingInstanceSeesItAtOnce()
    {
        var first = Instance();
        var second = Instance();
        await first.UpsertAsync(ListId, "00000009", null, "7071", "identity", CancellationToken.None);
        Assert.Equal("7071", (await RecentAsync(first, "00000009"))?.ProfileId);
        Assert.Equal("7071", (await RecentAsync(second, "00000009"))?.ProfileId);

        await second.UpsertAsync(ListId, "00000009", null, "7072", "merge", CancellationToken.None);

        Assert.Equal("7072", (await RecentAsync(second, "00000009"))?.ProfileId);
        Assert.Equal("7071", (await RecentAsync(first, "00000009"))?.ProfileId);
        _time.Advance(Lifetime);
        Assert.Equal("7072", (await RecentAsync(first, "00000009"))?.ProfileId);
    }

    [Fact]
    public async Task FindAsync_WithALinkCached_AlwaysReadsTheDatabase()
    {
        var store = Instance();
        await store.UpsertAsync(ListId, "00000010", null, "7081", "identity", CancellationToken.None);
        Assert.Equal("7081", (await RecentAsync(store, "00000010"))?.ProfileId);

        await RelinkElsewhereAsync("00000010", "7082");

        Assert.Equal("7082", (await store.FindAsync(ListId, "00000010", CancellationToken.None))?.ProfileId);
    }

    [Fact]
    public void Store_AReadThatOverlappedAWrite_IsNotKept()
    {
        var cache = new CustomerLinkCache(Lifetime, _time);
        var link = new CustomerLink(ListId, "00000011", null, "7091", "identity", _time.GetUtcNow(), _time.GetUtcNow(), null, null);
        var writesBeforeRead = cache.WritesSoFar;

        cache.Invalidate(ListId, "00000011");
        cache.Store(link, writesBeforeRead);

        Assert.False(cache.TryGet(ListId, "00000011", out _));
        cache.Store(link, cache.WritesSoFar);
        Assert.True(cache.TryGet(ListId, "00000011", out var kept));
        Assert.Same(link, kept);
    }

    [Fact]
    public void Store_Full_SweepsExpiredEntriesAndKeepsNoMoreThanTheCap()
    {
        var cache = new CustomerLinkCache(Lifetime, _time, maxEntries: 2);
        CustomerLink Link(string customerNo) => new(ListId, customerNo, null, "p" + customerNo, "identity", _time.GetUtcNow(), _time.GetUtcNow(), null, null);
        cache.Store(Link("1"), cache.WritesSoFar);
        cache.Store(Link("2"), cache.WritesSoFar);

        cache.Store(Link("3"), cache.WritesSoFar);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet(ListId, "3", out _));

        _time.Advance(Lifetime);
        cache.Store(Link("3"), cache.WritesSoFar);
        Assert.True(cache.TryGet(ListId, "3", out _));
        Assert.Equal(1, cache.Count);
    }
}
