using Microsoft.Extensions.Options;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

internal static class SyncExtensions
{
    public static WebApplicationBuilder AddSync(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>();
        services.AddSingleton<LoginRefreshQueue>();
        services.AddHostedService<LoginRefreshEnqueuer>();

        // Hangfire resolves jobs from DI; their constructors take the bridge's internal clients.
        services.AddTransient(sp => new ProfileRefreshJob(
            sp.GetRequiredService<SfccClient>(),
            sp.GetRequiredService<OmneoClient>(),
            sp.GetRequiredService<CustomerLinkStore>(),
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<ILogger<ProfileRefreshJob>>()));
        return builder;
    }
}
