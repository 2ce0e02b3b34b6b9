namespace OmneoSfccBridge.Storage;

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
