using OmneoSfccBridge.Sync;

namespace OmneoSfccBridge.Webhooks;

internal static class WebhooksExtensions
{
    /// <summary>Omneo's webhook deliveries: their jobs, the daily purge, and their part in retry-failed and start-up.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddTransient<OmneoWebhookJob>();
        services.AddTransient<WebhookPurgeJob>();
        services.AddSingleton<PendingWebhooks>();
        services.AddSingleton<IRetryOnDemand>(sp => sp.GetRequiredService<PendingWebhooks>());
        services.AddHostedService<WebhookScheduler>();
        return builder;
    }
}
