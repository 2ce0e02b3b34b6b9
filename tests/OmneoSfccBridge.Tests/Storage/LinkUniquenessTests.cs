using System.Net;
using Dapper;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Storage;

/// <summary>One Omneo profile is linked to at most one customer of a list: a unique index says so, on both providers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LinkUniquenessTests(PostgresCluster cluster) : IDisposable
{
    private readonly UpstreamStubs _stubs = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-links-").FullName;

    private Task<string> ConnectionStringAsync(StorageProvider provider) => cluster.CreateDatabaseAsync(provider, _directory);

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task TryUpsert_ManyCustomersRaceForOneProfile_ExactlyOneIsLinked(StorageProvider provider)
    {
        await using var database = await cluster.CreateMigratedDatabaseAsync(provider, _directory);
        var links = new CustomerLinkStore(database, TimeProvider.System);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => links.TryUpsertAsync(ListId, $"0000{i:D4}", null, "victim-profile", "email", emailWithheld: false, CancellationToken.None))));

        var winner = Assert.Single(attempts, a => a is not null);
        Assert.Equal(winner!.CustomerNo, (await links.FindByProfileAsync(ListId, "victim-profile", CancellationToken.None))?.CustomerNo);
        Assert.NotNull(await links.TryUpsertAsync("AnotherList", "00000001", null, "victim-profile", "email", emailWithheld: false, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => links.UpsertAsync(ListId, "00009999", null, "victim-profile", "merge", CancellationToken.None));
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Migration_TwoCustomersLinkedToOneProfile_KeepsTheEarliestAndReportsTheOtherBehindTheAdminKey(StorageProvider provider)
    {
        var connectionString = await ConnectionStringAsync(provider);
        await using (var database = new BridgeDatabase(provider, connectionString))
        {
            await Migrations.ApplyAsync(database, 3, CancellationToken.None);
            await using var connection = await database.OpenAsync(CancellationToken.None);
            foreach (var (customerNo, profileId, createdAt, source) in new[] { ("00000001", "777", 1_000L, "identity"), ("00000002", "777", 2_000L, "email"), ("00000003", "778", 1_500L, "created") })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO customer_links (customer_list_id, customer_no, profile_id, match_source, created_at, updated_at) VALUES (@ListId, @customerNo, @profileId, @source, @createdAt, @createdAt)",
                    new { ListId, customerNo, profileId, source, createdAt });
            }
        }

        using var bridge = new BridgeFactory(_stubs, provider == StorageProvider.Postgres ? connectionString : null, provider == StorageProvider.Sqlite ? new Dictionary<string, string?> { ["ConnectionStrings:Bridge"] = connectionString } : null);
        var client = bridge.CreateClient();
        var anonymous = await client.GetAsync("/admin/links/conflicts");
        client.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);
        var report = await (await client.GetAsync("/admin/links/conflicts")).JsonAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var conflict = Assert.Single(report.GetProperty("conflicts").EnumerateArray());
        Assert.Equal("00000002", conflict.GetProperty("customer_no").GetString());
        Assert.Equal("777", conflict.GetProperty("profile_id").GetString());
        Assert.Equal("00000001", conflict.GetProperty("kept_customer_no").GetString());
        Assert.Equal("email", conflict.GetProperty("match_source").GetString());
        var links = (CustomerLinkStore)bridge.Services.GetService(typeof(CustomerLinkStore))!;
        Assert.Equal("777", (await links.FindAsync(ListId, "00000001", CancellationToken.None))?.ProfileId);
        Assert.Null(await links.FindAsync(ListId, "00000002", CancellationToken.None));
        Assert.Equal("778", (await links.FindAsync(ListId, "00000003", CancellationToken.None))?.ProfileId);
    }

    public void Dispose()
    {
        _stubs.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
