using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Storage;

internal static class StorageExtensions
{
    /// <summary>The default database: a SQLite file under ./data, created on first run.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/bridge.db";

    /// <summary>The mapping store, on SQLite (default) or PostgreSQL; schema migrations run at start-up.</summary>
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
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddHostedService<SqliteProcessLock>();
        services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    /// <summary>The configured <c>ConnectionStrings__Bridge</c>, or the default SQLite file.</summary>
    internal static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Bridge") is { Length: > 0 } configured ? configured : DefaultSqliteConnectionString;
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
