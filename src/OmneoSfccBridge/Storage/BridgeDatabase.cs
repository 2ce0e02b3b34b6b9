using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OmneoSfccBridge.Storage;

/// <summary>Opens connections to the bridge's own database (mapping store, audit, sync state).</summary>
public sealed class BridgeDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private const int BusyTimeoutMilliseconds = 30_000;
    private static readonly object Configured = new();

    private readonly string _sqliteConnectionString = "";

    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// SQLite: copies the write-ahead log into the database file every <see cref="CheckpointInterval"/>, off every
    /// writer's path, on a thread of its own: a checkpoint blocks for its fsyncs (Microsoft.Data.Sqlite has no truly
    /// asynchronous I/O), which on the thread pool would hold a worker the requests and jobs need.
    /// </summary>
    private readonly Thread? _checkpoints;

    private readonly CancellationTokenSource _stopCheckpoints = new();

    private int _checkpointing;

    private int _disposed;

    /// <summary>SQLite: whose turn it is to write, among this process's <see cref="BridgeTransaction"/>s (one writer at a time is all SQLite allows).</summary>
    private readonly SemaphoreSlim? _sqliteWriteTurn;

    /// <summary>The physical SQLite connections (native handles, kept alive by the pool) whose settings are applied.</summary>
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    public BridgeDatabase(StorageProvider provider, string connectionString)
    {
        Provider = provider;
        if (provider == StorageProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = BusyTimeoutMilliseconds / 1000 };
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            SqliteFilePath = Path.GetFullPath(builder.DataSource);
            _sqliteWriteTurn = new SemaphoreSlim(1, 1);
            _sqliteConnectionString = builder.ToString();
            _checkpoints = new Thread(CheckpointEverySecond) { IsBackground = true, Name = "SQLite checkpoints" };
            _checkpoints.Start();
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
        if (!_configured.TryGetValue(connection.Handle!, out _))
        {
            // Connection settings, once per physical connection (the pool hands the same one out again, settings kept):
            // - busy_timeout: a writer that finds the database locked is retried by SQLite itself, within milliseconds of
            //   the lock's release. Without it Microsoft.Data.Sqlite retries SQLITE_BUSY with a blocking 150 ms sleep,
            //   so parallel sync writers put pool threads to sleep while the machine idles. The same 30 s bound as the
            //   command timeout.
            // - synchronous=NORMAL: with WAL it syncs at checkpoints rather than at every commit: a crashed process
            //   loses nothing, only a power cut can lose the last commits, and the sync's many small writes stop
            //   queueing behind fsync.
            // - wal_autocheckpoint=0: no commit runs the checkpoint (and its fsyncs, milliseconds each) on the writer's
            //   thread, inside a write's turn; a timer checkpoints every second instead (CheckpointSqlite).
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            _configured.AddOrUpdate(connection.Handle!, Configured);
        }

        return connection;
    }

    /// <summary>Opens a connection and begins a transaction on it (<see cref="BridgeTransaction"/>).</summary>
    public Task<BridgeTransaction> BeginAsync(CancellationToken cancellationToken) => BridgeTransaction.BeginAsync(this, _sqliteWriteTurn, singleStatement: false, cancellationToken);

    /// <summary>
    /// A connection for one write statement, which commits by itself: on SQLite in the writers' turn (as
    /// <see cref="BeginAsync"/>), on PostgreSQL without a BEGIN and a COMMIT round trip around it.
    /// </summary>
    public Task<BridgeTransaction> BeginStatementAsync(CancellationToken cancellationToken) => BridgeTransaction.BeginAsync(this, _sqliteWriteTurn, singleStatement: true, cancellationToken);

    /// <summary>Whether <paramref name="exception"/> is a unique constraint refusing a write, on either provider.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    private void CheckpointEverySecond()
    {
        var stop = _stopCheckpoints.Token.WaitHandle;
        while (!stop.WaitOne(CheckpointInterval))
        {
            CheckpointSqlite();
        }
    }

    /// <summary>
    /// A passive checkpoint: it waits for no reader or writer and copies what it can; the log restarts from the top
    /// once a checkpoint found no reader still on it. One at a time; a failure is left to the next tick.
    /// </summary>
    private void CheckpointSqlite()
    {
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return;
        }

        try
        {
            using var connection = new SqliteConnection(_sqliteConnectionString);
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_checkpoints is not null)
        {
            await _stopCheckpoints.CancelAsync();
            // At most one checkpoint's time: the thread ends after the one it may be running.
            await Task.Run(_checkpoints.Join);
            CheckpointSqlite();
        }

        _stopCheckpoints.Dispose();

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
