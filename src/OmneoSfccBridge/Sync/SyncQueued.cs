namespace OmneoSfccBridge.Sync;

/// <summary>A queued piece of work: it runs in the background, so the answer says where to follow it.</summary>
/// <param name="JobId">The Hangfire job (empty when several were queued).</param>
/// <param name="Detail">What was queued and how to tell when it has run.</param>
/// <param name="StatusUrl">Where to follow it: <c>/admin/sync/status</c>.</param>
public sealed record SyncQueued(string JobId, string Detail, string StatusUrl = SyncAdminEndpoints.StatusPath);
