namespace OmneoSfccBridge.Storage;

/// <summary>Applies schema migrations before anything else starts (hosted services start in order, Kestrel last).</summary>
internal sealed class DatabaseMigrator(BridgeDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Migrations.ApplyAsync(database, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
