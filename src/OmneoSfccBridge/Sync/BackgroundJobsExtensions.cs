using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Observability;
using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Sync;

internal static class BackgroundJobsExtensions
{
    /// <summary>
    /// The queue of the backfill's page jobs (<see cref="BackfillJob.RunPageAsync"/>). Every other job (webhooks, login
    /// refreshes, the delta, registrations) goes to Hangfire's <c>default</c>, which a worker always looks at first, so a
    /// running backfill, whose pages can fill every worker's next pick, never holds them behind its pages. The name
    /// sorts after <c>default</c> on purpose: Hangfire.PostgreSql picks by queue name, not by the order of
    /// <see cref="Queues"/> (its fetch orders by <c>fetchedat NULLS FIRST, queue, jobid</c>); the SQLite storage goes
    /// through the queues in the listed order. Both agree only while the names sort as listed.
    /// </summary>
    internal const string BackfillQueue = "sync-backfill";

    /// <summary>The queues this process's workers take jobs from, the first before the second.</summary>
    internal static readonly string[] Queues = ["default", BackfillQueue];

    /// <summary>Jobs are short (one customer, one page), so a job a crashed worker held is picked up again soon.</summary>
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Hangfire, in the bridge's database (PostgreSQL) or a SQLite file beside it, with this process's server; every
    /// feature's jobs run here (the sync's, the webhooks', the registration's).
    /// </summary>
    public static WebApplicationBuilder AddBackgroundJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Registered before AddHangfire, whose own registration would hand out the static JobStorage.Current: with
        // several bridges in one process (the functional tests) that is whichever configured last, so one bridge's
        // jobs would land in another's storage.
        services.AddSingleton<JobStorage>(sp => CreateStorage(
            sp.GetRequiredService<BridgeDatabase>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<IOptions<SyncOptions>>().Value,
            StorageExtensions.ConnectionString(sp.GetRequiredService<IConfiguration>())));
        // Likewise the job activator: Hangfire's own registration hands out the static JobActivator.Current, which each
        // bridge's configuration overwrites with an activator over its own container, so bridges starting side by side
        // (the functional tests) could resolve their jobs from another bridge's services.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>()));
        services.AddHangfireServer((sp, server) =>
        {
            server.WorkerCount = sp.GetRequiredService<IOptions<StorageOptions>>().Value.WorkerCount;
            server.Queues = Queues;
            // This server's own filter rather than Hangfire's static global ones: each bridge counts its own runs.
            server.FilterProvider = new JobFilterProviderCollection(JobFilterProviders.Providers, new JobFilterCollection { sp.GetRequiredService<JobTelemetryFilter>() });
        });
        return builder;
    }

    /// <summary>Hangfire's storage for <paramref name="database"/>: PostgreSQL beside the bridge's tables, or a SQLite file of its own.</summary>
    internal static JobStorage CreateStorage(BridgeDatabase database, StorageOptions options, SyncOptions sync, string connectionString)
    {
        if (database.Provider == StorageProvider.Postgres)
        {
            // Several instances: a job a killed instance held must come back within the sync lease (as README
            // promises for Sync__LeaseSeconds), not after minutes; live workers keep theirs invisible by sliding.
            var lease = TimeSpan.FromSeconds(sync.LeaseSeconds);
            var postgres = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, UseSlidingInvisibilityTimeout = true, InvisibilityTimeout = lease };
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, postgres), postgres);
        }

        return new SQLiteStorage(HangfireSqlitePath(database, options), new SQLiteStorageOptions { InvisibilityTimeout = InvisibilityTimeout, QueuePollInterval = TimeSpan.FromMilliseconds(options.HangfireQueuePollMilliseconds) });
    }

    private static string HangfireSqlitePath(BridgeDatabase database, StorageOptions options) =>
        options.HangfireSqlitePath is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.ChangeExtension(database.SqliteFilePath!, ".hangfire.db");
}
