using OmneoSfccBridge.Admin;
using OmneoSfccBridge.BrowserCallers;
using OmneoSfccBridge.CustomerAuth;
using OmneoSfccBridge.CustomerAuth.Storefront;
using OmneoSfccBridge.CustomerRegistration;
using OmneoSfccBridge.Limits;
using OmneoSfccBridge.Observability;
using OmneoSfccBridge.Operations;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Webhooks;

namespace OmneoSfccBridge;

/// <summary>
/// The bridge's whole set-up, one feature a line: what <c>Program</c> runs, and what a host that embeds the bridge
/// (the sandbox, <c>src/OmneoSfccBridge.Sandbox</c>) runs around its own configuration and endpoints.
/// </summary>
public static class BridgeApp
{
    /// <summary>Registers every feature's services and options; configuration added before this call is what they bind.</summary>
    public static WebApplicationBuilder AddBridge(this WebApplicationBuilder builder)
    {
        builder.AddOperations();
        builder.AddObservability();
        builder.AddLimits();
        builder.AddBrowserCallers();
        builder.AddStorage();
        builder.AddUpstreams();
        builder.AddCustomerAuth();
        builder.AddStorefrontLogin();
        builder.AddRegistration();
        builder.AddSync();
        builder.AddWebhooks();
        builder.AddAdmin();
        return builder;
    }

    /// <summary>
    /// For a host whose upstreams already hold customers it does not want the first delta to carry (the sandbox's demo
    /// customers): with no stored watermark, start-up stores the start time, so the delta carries only changes made
    /// after start-up; the customers that existed before come by login or backfill.
    /// </summary>
    public static WebApplicationBuilder StartDeltaAtStartup(this WebApplicationBuilder builder)
    {
        builder.Services.PostConfigure<SyncOptions>(options => options.WatermarkFromStart = true);
        return builder;
    }

    /// <summary>The middleware and every endpoint of the bridge.</summary>
    public static WebApplication MapBridge(this WebApplication app)
    {
        app.UseOperations();
        app.UseBrowserCallers();
        app.UseLimits();
        app.MapOperations();
        app.MapObservability();
        app.MapLoginEndpoints();
        app.MapStorefrontLogin();
        app.MapRegistrationEndpoints();
        app.MapAdminEndpoints();
        app.MapLinkAdminEndpoints();
        app.MapSyncAdminEndpoints();
        app.MapOmneoWebhooks();
        app.MapOmneoWebhookSubscriptions();
        return app;
    }

    /// <summary>Runs until shut down; returns the process's exit code (1, with every configuration problem printed, when the options are invalid).</summary>
    public static async Task<int> RunBridgeAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
        }
        catch (Exception ex) when (ConfigurationCheck.Report(ex))
        {
            return 1;
        }

        return 0;
    }
}
