using Hangfire;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;

namespace OmneoSfccBridge.Webhooks;

/// <summary>
/// Deletes stored Omneo webhook deliveries older than <see cref="SyncOptions.WebhookRetentionDays"/>, whatever their
/// status, so the table stays bounded. Safe because a delivery is only a notification: a body replayed after its row
/// is gone is stored again and applies what Omneo holds now, and a delivery still pending by then (its job gave up
/// long ago) would otherwise hold back the profile's SFCC → Omneo sync forever. Runs daily; safe to run twice.
/// </summary>
internal sealed partial class WebhookPurgeJob
{
    public const string RecurringJobId = "omneo-webhook-purge";

    private readonly WebhookEventStore _store;
    private readonly TimeProvider _time;
    private readonly IOptions<SyncOptions> _options;
    private readonly ILogger<WebhookPurgeJob> _logger;

    public WebhookPurgeJob(WebhookEventStore store, TimeProvider time, IOptions<SyncOptions> options, ILogger<WebhookPurgeJob> logger)
    {
        _store = store;
        _time = time;
        _options = options;
        _logger = logger;
    }

    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Purge Omneo webhook deliveries past their retention")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var days = _options.Value.WebhookRetentionDays;
        var purged = await _store.PurgeWebhooksAsync(_time.GetUtcNow() - TimeSpan.FromDays(days), cancellationToken);
        LogPurged(_logger, purged, days);
    }

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Purged {Count} Omneo webhook deliveries older than {Days} days")]
    private static partial void LogPurged(ILogger logger, int count, int days);
}
