using Hangfire;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Admin;

internal static class AdminEndpoints
{
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        builder.Services.AddSingleton<AdminKey>();
        builder.Services.AddSingleton<DashboardSession>();
        builder.Services.AddSingleton<AdminKeyDashboardFilter>();
        return builder;
    }

    /// <summary>The Hangfire dashboard and its sign-in, behind the admin key.</summary>
    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        app.MapDashboardSignIn();
        app.MapHangfireDashboard(DashboardSignIn.DashboardPath, new DashboardOptions
        {
            Authorization = [app.Services.GetRequiredService<AdminKeyDashboardFilter>()],
            DisplayStorageConnectionString = false,
        });
        return app;
    }
}
