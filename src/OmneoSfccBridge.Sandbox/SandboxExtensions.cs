using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OmneoSfccBridge.Sandbox;

internal static partial class SandboxExtensions
{
    /// <summary>
    /// The host's options: a sandbox started without any environment (<c>ASPNETCORE_ENVIRONMENT</c>,
    /// <c>DOTNET_ENVIRONMENT</c>, <c>--environment</c>) runs as Development, where the host's default would be
    /// Production, which the sandbox refuses.
    /// </summary>
    public static WebApplicationOptions BuilderOptions(string[] args)
    {
        var configured = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.EnvironmentKey];
        return new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = string.IsNullOrWhiteSpace(configured) ? Environments.Development : null,
        };
    }

    /// <summary>
    /// Why the sandbox must not start here, or null. Its simulated upstreams accept anyone, it prints a generated
    /// admin key and its endpoints change data without a key: never something to run where production traffic is.
    /// </summary>
    public static string? Refusal(IHostEnvironment environment) => environment.IsProduction()
        ? "The sandbox refuses to start in the Production environment (ASPNETCORE_ENVIRONMENT=Production): it "
            + "simulates SFCC and Omneo, accepts anyone and changes data without a key. Leave ASPNETCORE_ENVIRONMENT unset "
            + "(the sandbox then runs as Development) or set it to Development, or run the service itself "
            + "(src/OmneoSfccBridge) against the real SFCC and Omneo."
        : null;

    /// <summary>Where the sandbox keeps the admin key it made, beside (not in) its throwaway data folder.</summary>
    public static string AdminKeyFile => Path.GetFullPath(Path.Combine("data", "sandbox-admin.key"));

    /// <summary>The admin key made on the first run and kept across runs, so a newcomer's scripts keep working after a restart.</summary>
    private static string StoredAdminKey()
    {
        if (File.Exists(AdminKeyFile) && File.ReadAllText(AdminKeyFile).Trim() is { Length: >= 24 } kept)
        {
            return kept;
        }

        var made = "sandbox-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        Directory.CreateDirectory(Path.GetDirectoryName(AdminKeyFile)!);
        File.WriteAllText(AdminKeyFile, made + Environment.NewLine);
        return made;
    }

    /// <summary>
    /// Starts the simulated upstreams and points the bridge at them, on its own throwaway SQLite file (the simulated
    /// Omneo starts empty each run, so links from an earlier run would point at the wrong people).
    /// </summary>
    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder builder)
    {
        var landscape = new SandboxLandscape(TimeProvider.System);
        builder.Services.AddSingleton(landscape);
        var adminKey = builder.Configuration["Admin:ApiKey"] is { Length: >= 24 } configured ? configured : StoredAdminKey();
        landscape.AdminKeyGenerated = adminKey != builder.Configuration["Admin:ApiKey"];
        var database = Path.GetFullPath(Path.Combine("data", "sandbox", "bridge.db"));
        foreach (var stale in Directory.Exists(Path.GetDirectoryName(database)) ? Directory.GetFiles(Path.GetDirectoryName(database)!) : [])
        {
            File.Delete(stale);
        }

        var configuration = landscape.Configuration(adminKey);
        configuration["Storage:Provider"] = "Sqlite";
        if (builder.Configuration["Sync:DeltaIntervalMinutes"] is null)
        {
            // The sync is part of what the sandbox shows: a change in the simulated SFCC reaches Omneo within a minute.
            configuration["Sync:DeltaIntervalMinutes"] = "1";
        }

        // Its first tick must not race the walkthrough: the delta carries only what changes after start-up, so the demo
        // customers are linked by their logins (in the README's order), never by whichever minute the delta ticks.
        builder.StartDeltaAtStartup();
        if (builder.Configuration["Registration:IdempotencySecret"] is null)
        {
            // The sandbox's database is thrown away each run, so a secret of the run is enough.
            configuration["Registration:IdempotencySecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        }

        SandboxStorefront.Configure(builder.Configuration, configuration);
        configuration["ConnectionStrings:Bridge"] = $"Data Source={database}";
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddHostedService<SandboxBanner>();
        builder.Services.AddHttpClient(SandboxSyncEndpoints.WebhookClient)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = SandboxSelf.LoopbackAddress(sp.GetRequiredService<IServer>()))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        return builder;
    }

    public static WebApplication MapSandboxEndpoints(this WebApplication app)
    {
        app.MapGet("/sandbox", GetSandbox).WithName("Sandbox").WithTags("Sandbox").ExcludeFromDescription();
        app.MapSandboxSyncEndpoints();
        app.MapSandboxStorefront();
        return app;
    }

    internal static Ok<SandboxInfo> GetSandbox(SandboxLandscape landscape) => TypedResults.Ok(new SandboxInfo(
        landscape.Sfcc.ShopUrl,
        SandboxSfcc.ClientId,
        landscape.Omneo.Url,
        [.. landscape.DemoCustomers.Select(c => new SandboxDemoCustomer(c.Login, SandboxLandscape.DemoPassword, c.CustomerNo))],
        SandboxSfcc.SiteId,
        landscape.Sfcc.SlasAuthUrl,
        SandboxSfcc.SlasClientId,
        SandboxSfcc.SlasClientSecret));
}
