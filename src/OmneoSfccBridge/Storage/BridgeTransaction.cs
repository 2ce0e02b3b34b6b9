using System.Data.Common;

namespace OmneoSfccBridge.Storage;

/// <summary>
/// One transaction on the bridge's database for writes that belong together (a link, its audit event, the end of its
/// noted creation): one connection and one commit instead of one of each per statement, and after a crash all of them
/// or none; or one write statement that commits by itself (<see cref="BridgeDatabase.BeginStatementAsync"/>). Disposed
/// without <see cref="CommitAsync"/>, a transaction rolls back. Hold it for database work only, never across
/// an upstream call. On SQLite, where this process is the database's only writer, these transactions take turns
/// here, waiting asynchronously, rather than in SQLite's busy handler, which puts the waiting thread to sleep.
/// </summary>
public sealed class BridgeTransaction : IAsyncDisposable
{
    private readonly List<Action> _whenOver = [];

    private readonly SemaphoreSlim? _turn;

    private BridgeTransaction(DbConnection connection, DbTransaction? transaction, SemaphoreSlim? turn)
    {
        Connection = connection;
        Transaction = transaction;
        _turn = turn;
    }

    internal DbConnection Connection { get; }

    /// <summary>The transaction; none for a single statement (<see cref="BridgeDatabase.BeginStatementAsync"/>), which commits by itself.</summary>
    internal DbTransaction? Transaction { get; }

    internal static async Task<BridgeTransaction> BeginAsync(BridgeDatabase database, SemaphoreSlim? turn, bool singleStatement, CancellationToken cancellationToken)
    {
        if (turn is not null)
        {
            await turn.WaitAsync(cancellationToken);
        }

        DbConnection? connection = null;
        try
        {
            connection = await database.OpenAsync(cancellationToken);
            return new BridgeTransaction(connection, singleStatement ? null : await connection.BeginTransactionAsync(cancellationToken), turn);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            turn?.Release();
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/> once the transaction is over, committed or not (e.g. dropping a cached row it wrote).</summary>
    internal void WhenOver(Action action) => _whenOver.Add(action);

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Transaction is not null)
            {
                await Transaction.DisposeAsync();
            }

            await Connection.DisposeAsync();
        }
        finally
        {
            _turn?.Release();
            _whenOver.ForEach(action => action());
        }
    }
}
