using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OmneoSfccBridge.Storage;

/// <summary>Opens connections to the bridge's own database (mapping store, audit, sync state).</summary>
public sealed class BridgeDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqliteConnectionString = "";

    public BridgeDatabase(StorageProvider provider, string connectionString)
    {
        Provider = provider;
        if (provider == StorageProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 };
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            SqliteFilePath = Path.GetFullPath(builder.DataSource);
            _sqliteConnectionString = builder.ToString();
        }
    }

    public StorageProvider Provider { get; }

    /// <summary>The SQLite file, when the provider is SQLite.</summary>
    public string? SqliteFilePath { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);

        // With WAL, NORMAL syncs at checkpoints rather than at every commit: a crashed process loses nothing, only a
        // power cut can lose the last commits, and the sync's many small writes stop queueing behind fsync.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Whether <paramref name="exception"/> is a unique constraint refusing a write, on either provider.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    public ValueTask DisposeAsync() => _postgres?.DisposeAsync() ?? ValueTask.CompletedTask;
}
