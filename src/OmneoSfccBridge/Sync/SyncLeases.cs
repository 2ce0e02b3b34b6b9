using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Sync;

/// <summary>Hands out <see cref="SyncLease"/>s of <see cref="SyncOptions.LeaseSeconds"/>.</summary>
internal sealed class SyncLeases(SyncStore store, TimeProvider time, IOptions<SyncOptions> options, ILogger<SyncLease> logger)
{
    /// <summary>This bridge instance (host, process, and a per-host suffix, as two hosts may share a process in tests), recorded on the backfill pages it applies.</summary>
    public string Instance { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The named lease, or null when another live holder has it.</summary>
    public Task<SyncLease?> TryTakeAsync(string name, CancellationToken cancellationToken) =>
        SyncLease.TryTakeAsync(store, name, TimeSpan.FromSeconds(options.Value.LeaseSeconds), time, logger, cancellationToken);
}
