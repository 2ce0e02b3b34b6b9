using System.Data.Common;
using Dapper;

namespace OmneoSfccBridge.Storage;

/// <summary>Serialises work on one customer (by key) in this process and, on PostgreSQL, across every bridge instance.</summary>
public sealed class CustomerLocks(BridgeDatabase database)
{
    private readonly Dictionary<string, Entry> _local = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var entry = Rent(key);
        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
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
            connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(hashtextextended(@key, 0))", new { key }, cancellationToken: cancellationToken));
            return new Held(this, key, entry, connection);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            entry.Gate.Release();
            Return(key, entry);
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
