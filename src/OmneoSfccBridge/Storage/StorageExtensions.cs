using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Storage;

internal static class StorageExtensions
{
    /// <summary>The default database: a SQLite file under ./data, created on first run.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/bridge.db";

    /// <summary>Jobs are short (one customer, one page), so a job a crashed worker held is picked up again soon.</summary>
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The mapping store and Hangfire, on SQLite (default) or PostgreSQL; schema migrations run at start-up.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton(sp => new BridgeDatabase(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider,
            ConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton<CustomerLinkStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<CustomerLocks>();
        services.AddExceptionHandler<CustomerLockProblemHandler>();
        services.AddHostedService<SqliteProcessLock>();
        services.AddHostedService<DatabaseMigrator>();

        // Registered before AddHangfire, whose own registration would hand out the static JobStorage.Current: with
        // several bridges in one process (the functional tests) that is whichever configured last, so one bridge's
        // jobs would land in another's storage.
        services.AddSingleton<JobStorage>(sp =>
        {
            var database = sp.GetRequiredService<BridgeDatabase>();
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (database.Provider == StorageProvider.Postgres)
            {
                // Several instances: a job a killed instance held must come back within the sync lease (as README
                // promises for Sync__LeaseSeconds), not after minutes; live workers keep theirs invisible by sliding.
                var lease = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<Sync.SyncOptions>>().Value.LeaseSeconds);
                var postgres = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, UseSlidingInvisibilityTimeout = true, InvisibilityTimeout = lease };
                return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(ConnectionString(sp.GetRequiredService<IConfiguration>()), postgres), postgres);
            }

            return new SQLiteStorage(HangfireSqlitePath(database, options), new SQLiteStorageOptions { InvisibilityTimeout = InvisibilityTimeout, QueuePollInterval = TimeSpan.FromSeconds(1) });
        });
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
            // This server's own filter rather than Hangfire's static global ones: each bridge counts its own runs.
            server.FilterProvider = new JobFilterProviderCollection(JobFilterProviders.Providers, new JobFilterCollection { sp.GetRequiredService<Observability.JobTelemetryFilter>() });
        });
        return builder;
    }

    private static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Bridge") is { Length: > 0 } configured ? configured : DefaultSqliteConnectionString;

    private static string HangfireSqlitePath(BridgeDatabase database, StorageOptions options) =>
        options.HangfireSqlitePath is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.ChangeExtension(database.SqliteFilePath!, ".hangfire.db");
}

/// <summary>
/// SQLite serves one bridge process (Hangfire's SQLite storage is single-process): this process holds an exclusive
/// lock on a file beside the database for its lifetime, and refuses to start while another live process holds it.
/// The kernel drops the lock when a process dies, even by <c>kill -9</c>, so whatever a SQLite database says is held
/// (a sync lease) at start-up was held by a dead process.
/// </summary>
internal sealed class SqliteProcessLock(BridgeDatabase database) : IHostedService, IDisposable
{
    private FileStream? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.SqliteFilePath is not { } file)
        {
            return Task.CompletedTask;
        }

        var path = file + ".lock";
        try
        {
            // On Linux and macOS .NET takes FileShare.None as an flock(LOCK_EX) that other processes see.
            _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another bridge process uses the SQLite database {file} (it holds {path}). SQLite serves one process; use Storage__Provider=Postgres for several instances.", ex);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();
}

/// <summary>Applies schema migrations before anything else starts (hosted services start in order, Kestrel last).</summary>
internal sealed class DatabaseMigrator(BridgeDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Migrations.ApplyAsync(database, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
