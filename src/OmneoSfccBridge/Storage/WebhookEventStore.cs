using Dapper;

namespace OmneoSfccBridge.Storage;

/// <summary>
/// Omneo's webhook deliveries as received (<c>webhook_events</c>): stored once per delivery key, settled once by their
/// job, purged after their retention. Written by Webhooks; read by the sync too (a pending delivery holds back a
/// profile's SFCC → Omneo push, and the sync status counts them), so the store lives in Storage.
/// </summary>
public sealed class WebhookEventStore(BridgeDatabase database, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Stores a delivery once; a repeat (same key) returns the stored one with <c>Inserted</c> false.</summary>
    public async Task<(WebhookEvent Event, bool Inserted)> StoreWebhookAsync(string deliveryKey, string eventName, string? profileId, string body, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            INSERT INTO webhook_events (delivery_key, event, profile_id, body, received_at, status)
            VALUES (@deliveryKey, @eventName, @profileId, @body, @now, @pending)
            ON CONFLICT (delivery_key) DO NOTHING
            RETURNING id
            """,
            new { deliveryKey, eventName, profileId, body, now = Now, pending = WebhookStatus.Pending },
            cancellationToken: cancellationToken));
        var stored = await connection.QuerySingleAsync<WebhookRow>(new CommandDefinition(
            "SELECT id AS Id, event AS Event, profile_id AS ProfileId, body AS Body, status AS Status, detail AS Detail FROM webhook_events WHERE delivery_key = @deliveryKey",
            new { deliveryKey },
            cancellationToken: cancellationToken));
        return (stored.ToEvent(), id is not null);
    }

    public async Task<WebhookEvent?> GetWebhookAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            "SELECT id AS Id, event AS Event, profile_id AS ProfileId, body AS Body, status AS Status, detail AS Detail FROM webhook_events WHERE id = @id",
            new { id },
            cancellationToken: cancellationToken));
        return row?.ToEvent();
    }

    /// <summary>Settles a pending delivery; false when it was settled already (a second run of the job).</summary>
    public async Task<bool> SettleWebhookAsync(long id, string status, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_events SET status = @status, detail = @detail, processed_at = @now WHERE id = @id AND status = @pending",
            new { id, status, detail, now = Now, pending = WebhookStatus.Pending },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Whether a delivery for this profile still waits: the webhook job then reconciles both sides itself.</summary>
    public async Task<bool> HasPendingWebhookAsync(string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM webhook_events WHERE profile_id = @profileId AND status = @pending",
            new { profileId, pending = WebhookStatus.Pending },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Deletes the deliveries received before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> PurgeWebhooksAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhook_events WHERE received_at < @cutoff",
            new { cutoff = cutoff.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<long>> PendingWebhookIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM webhook_events WHERE status = @pending ORDER BY id", new { pending = WebhookStatus.Pending }, cancellationToken: cancellationToken))];
    }

    public async Task<Dictionary<string, long>> WebhookCountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM webhook_events GROUP BY status", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal);
    }

    private sealed class WebhookRow
    {
        public long Id { get; init; }

        public string Event { get; init; } = "";

        public string? ProfileId { get; init; }

        public string Body { get; init; } = "";

        public string Status { get; init; } = "";

        public string? Detail { get; init; }

        public WebhookEvent ToEvent() => new(Id, Event, ProfileId, Body, Status, Detail);
    }
}
