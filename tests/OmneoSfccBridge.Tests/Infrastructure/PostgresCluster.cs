using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster made from the server binaries on this machine (initdb, pg_ctl), on a free
/// loopback port, removed afterwards. As root the server runs as the postgres user, since it refuses root.
/// Set BRIDGE_TEST_POSTGRES to a connection string to use a running server instead.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly string? _external = Environment.GetEnvironmentVariable("BRIDGE_TEST_POSTGRES");
    private string? _directory;
    private int _port;

    public async Task InitializeAsync()
    {
        if (_external is not null)
        {
            return;
        }

        _port = FreePort();
        _directory = Path.Combine(Path.GetTempPath(), "bridge-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"postgres {_directory}", asPostgres: false);
        }

        var data = Path.Combine(_directory, "data");
        await RunAsync(Tool("initdb"), $"-D {data} -U postgres --auth=trust -E UTF8 --no-sync", asRoot);
        await RunAsync(Tool("pg_ctl"), $"-D {data} -l {Path.Combine(_directory, "server.log")} -w -t 60 -o \"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start", asRoot);
    }

    /// <summary>A new, empty database on the cluster.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "bridge_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// A new, empty database on <paramref name="provider"/>: a database on this cluster, or a new SQLite file in
    /// <paramref name="sqliteDirectory"/> (the test's own directory, deleted with it).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(StorageProvider provider, string sqliteDirectory) => provider == StorageProvider.Postgres
        ? await CreateDatabaseAsync()
        : $"Data Source={Path.Combine(sqliteDirectory, Guid.NewGuid().ToString("N") + ".db")}";

    /// <summary>As <see cref="CreateDatabaseAsync(StorageProvider, string)"/>, opened and migrated to the current schema.</summary>
    public async Task<BridgeDatabase> CreateMigratedDatabaseAsync(StorageProvider provider, string sqliteDirectory)
    {
        var database = new BridgeDatabase(provider, await CreateDatabaseAsync(provider, sqliteDirectory));
        await Migrations.ApplyAsync(database, CancellationToken.None);
        return database;
    }

    public async Task DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }

        await RunAsync(Tool("pg_ctl"), $"-D {Path.Combine(_directory, "data")} -m immediate -w stop", Environment.UserName == "root");
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string ConnectionString(string database) => _external is not null
        ? new NpgsqlConnectionStringBuilder(_external) { Database = database }.ToString()
        : $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Tool(string name)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", name)).FirstOrDefault(File.Exists)
            : null;
        return onPath ?? debian ?? throw new InvalidOperationException($"PostgreSQL's {name} is not installed (apt-get install postgresql).");
    }

    private static async Task RunAsync(string file, string arguments, bool asPostgres)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await output} {await error}");
        }
    }
}

/// <summary>
/// The in-process tests on PostgreSQL: one cluster, a new database per test. They run in parallel with the other
/// collections (each bridge has its own database and Hangfire schema) and one after another among themselves.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// The tests that run bridges as child processes on PostgreSQL: long (a backfill across a SIGKILL), mostly waiting on
/// the processes, so they get a cluster of their own (own port and directory) and run beside the in-process ones.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresProcessesCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL processes";
}
