using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Sync;

internal static class SyncExtensions
{
    public static WebApplicationBuilder AddSync(this WebApplicationBuilder builder)
    {
        builder.AddBackgroundJobs();
        var services = builder.Services;
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>();
        services.AddSingleton<LoginRefreshQueue>();
        services.AddHostedService<LoginRefreshEnqueuer>();
        services.AddSingleton<SyncStore>();
        services.AddSingleton<SyncLeases>();
        services.AddSingleton<CustomerSync>();
        services.AddSingleton<PageApplier>();
        services.AddHostedService<SyncScheduler>();
        services.AddHostedService<SyncGaugeSampler>();

        // Hangfire resolves jobs from the container; their arguments are ids, everything else comes from here.
        services.AddTransient<ProfileRefreshJob>();
        services.AddTransient<DeltaSyncJob>();
        services.AddTransient<BackfillJob>();
        services.AddTransient<CustomerSyncJob>();
        return builder;
    }

    /// <summary>The cron expression of the delta interval (validated to divide an hour or be whole hours).</summary>
    internal static string DeltaCron(int minutes) => minutes < 60
        ? $"*/{minutes} * * * *"
        : minutes >= 1_440 ? "0 0 * * *" : $"0 */{minutes / 60} * * *";
}
