using Hangfire;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;
using OmneoSfccBridge.Webhooks;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>
/// Backfill pages wait in their own queue, behind every other job, on the storage the bridge builds for each provider.
/// The storage is asked for jobs as a worker of the bridge asks (its queues, in their order), with no worker running.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobQueuesTests(PostgresCluster cluster) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-queues-").FullName;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Queues_BackfillPagesQueuedFirst_AWebhookAndALoginRefreshQueuedAfterThemAreFetchedBeforeThePages(StorageProvider provider)
    {
        var connectionString = await cluster.CreateDatabaseAsync(provider, _directory);
        await using var database = new BridgeDatabase(provider, connectionString);
        var storage = BackgroundJobsExtensions.CreateStorage(database, new StorageOptions { Provider = provider }, new SyncOptions(), connectionString);
        var client = new BackgroundJobClient(storage);

        var pages = Enumerable.Range(1, 3).Select(page => client.Enqueue<BackfillJob>(job => job.RunPageAsync(page, CancellationToken.None))).ToList();
        var webhook = client.Enqueue<OmneoWebhookJob>(job => job.RunAsync(7, CancellationToken.None));
        var refresh = client.Enqueue<ProfileRefreshJob>(job => job.RunAsync("list", "C1", CancellationToken.None));

        var fetched = new List<string>();
        using (var connection = storage.GetConnection())
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            for (var i = 0; i < 5; i++)
            {
                using var job = connection.FetchNextJob(BackgroundJobsExtensions.Queues, timeout.Token);
                fetched.Add(job.JobId);
                job.RemoveFromQueue();
            }
        }

        Assert.Equal([webhook, refresh], fetched.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal(pages.Order(StringComparer.Ordinal), fetched.Skip(2).Order(StringComparer.Ordinal));
        Assert.Equal(BackgroundJobsExtensions.BackfillQueue, storage.GetMonitoringApi().JobDetails(pages[0]).History.First().Data["Queue"]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
