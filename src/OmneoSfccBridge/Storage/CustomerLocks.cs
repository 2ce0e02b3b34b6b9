using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OmneoSfccBridge.Storage;

/// <summary>
/// Serialises work on one customer (by key) in this process and, on PostgreSQL, across every bridge instance. A
/// lock that is not free within <see cref="StorageOptions.LockTimeoutSeconds"/> throws
/// <see cref="CustomerLockTimeoutException"/>: a slow holder makes the next request for the same customer fail
/// fast rather than queue behind it with a database connection in hand.
/// </summary>
public sealed class CustomerLocks(BridgeDatabase database, IOptions<StorageOptions> options, TimeProvider time)
{
    private const string LockNotAvailable = "55P03";

    private readonly Dictionary<string, Entry> _local = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.LockTimeoutSeconds);
        var started = time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var entry = Rent(key);
        try
        {
            await entry.Gate.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Return(key, entry);
            throw new CustomerLockTimeoutException(timeout);
        }
        catch
        {
            Return(key, entry);
            throw;
        }

        if (database.Provider != StorageProvider.Postgres)
        {
            // SQLite storage is for one process only, so the local lock is the whole lock.
            return new Held(this, key, entry, null);
        }

        DbConnection? connection = null;
        try
        {
            // An exhausted pool is waited for within the same deadline.
            connection = await database.OpenAsync(linked.Token);
            var remaining = timeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new CustomerLockTimeoutException(timeout);
            }

            // The server bounds the wait (lock_timeout, set for this transaction only), so no client-side cancel can
            // race a granted lock and leave a session holding what nobody knows about. A session-level advisory lock
            // outlives the transaction it was taken in.
            await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT set_config('lock_timeout', @milliseconds, true); SELECT pg_advisory_lock(hashtextextended(@key, 0));",
                    new { key, milliseconds = ((long)Math.Ceiling(remaining.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) },
                    transaction,
                    cancellationToken: CancellationToken.None));
                await transaction.CommitAsync(CancellationToken.None);
            }

            return new Held(this, key, entry, connection);
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            entry.Gate.Release();
            Return(key, entry);
            if (ex is PostgresException { SqlState: LockNotAvailable }
                || (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
            {
                throw new CustomerLockTimeoutException(timeout);
            }

            throw;
        }
    }

    private Entry Rent(string key)
    {
        lock (_local)
        {
            if (!_local.TryGetValue(key, out var entry))
            {
                entry = new Entry();
                _local[key] = entry;
            }

            entry.Users++;
            return entry;
        }
    }

    private void Return(string key, Entry entry)
    {
        lock (_local)
        {
            if (--entry.Users == 0)
            {
                _local.Remove(key);
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Held(CustomerLocks owner, string key, Entry entry, DbConnection? connection) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            try
            {
                if (connection is not null)
                {
                    // Closing the session would free the lock too; unlocking first returns a clean connection to the pool.
                    await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", new { key });
                    await connection.DisposeAsync();
                }
            }
            finally
            {
                entry.Gate.Release();
                owner.Return(key, entry);
            }
        }
    }
}
