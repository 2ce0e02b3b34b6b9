using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OmneoSfccBridge.Sandbox;

/// <summary>The demo landscape: a simulated SFCC and Omneo with a few customers, for trying the bridge on a fresh machine.</summary>
public sealed class SandboxLandscape : IDisposable
{
    public const string DemoPassword = "Sandbox-Pass1!";

    public SandboxLandscape(TimeProvider time)
    {
        Sfcc = new SandboxSfcc(time);
        Omneo = new SandboxOmneo(time);

        // alice: linked in Omneo already (identity sfcc = her customer_no); bob: his email is verified in SFCC and an
        // earlier Omneo profile has it (linked at first login); dave: no Omneo profile yet (created at first login);
        // fran: an earlier Omneo profile has her email but SFCC has not verified it (a candidate only: she gets her
        // own profile, without the email, until c_emailVerified turns true); carol: only in Omneo.
        // They were last changed a day before the sandbox started: the sandbox's delta starts from its start time, so
        // it leaves them alone until the walkthrough changes them (see AddSandbox).
        var before = time.GetUtcNow().AddDays(-1);
        var alice = Sfcc.AddCustomer("alice@example.com", DemoPassword, "Alice", "Archer", "+61400000001", "1990-04-21", before).WithEmailVerified(true);
        var bob = Sfcc.AddCustomer("bob@example.com", DemoPassword, "Bob", "Baker", at: before).WithEmailVerified(true);
        var dave = Sfcc.AddCustomer("dave@example.com", DemoPassword, "Dave", "Diaz", at: before);
        var fran = Sfcc.AddCustomer("fran@example.com", DemoPassword, "Fran", "Fox", at: before).WithEmailVerified(false);
        Omneo.AddProfile(alice.Email, "Alice", "Archer", alice.CustomerNo);
        Omneo.AddProfile(bob.Email, "Bob", "Baker");
        Omneo.AddProfile("carol@example.com", "Carol", "Chen");
        Omneo.AddProfile(fran.Email, "Fran", "Fox");
        DemoCustomers = [alice, bob, dave, fran];
    }

    public SandboxSfcc Sfcc { get; }

    public SandboxOmneo Omneo { get; }

    public IReadOnlyList<SandboxCustomer> DemoCustomers { get; }

    /// <summary>Whether the sandbox made up the admin key (none was configured); it is then printed once at start-up.</summary>
    public bool AdminKeyGenerated { get; set; }

    /// <summary>The bridge configuration that points it at this landscape.</summary>
    public Dictionary<string, string?> Configuration(string? adminKey)
    {
        var settings = UpstreamSettings(Sfcc, Omneo);
        settings["Sfcc:OcapiTokenSigningKey"] = Sfcc.PublicKeyPem;
        settings["Admin:ApiKey"] = adminKey;
        settings["Omneo:WebhookSecret"] = WebhookSecret;
        settings["Profiles:EmailVerifiedAttribute"] = SandboxSfcc.EmailVerifiedAttribute;
        settings["Slas:OrganizationId"] = SandboxSfcc.SlasOrganizationId;
        settings["Slas:BaseUrl"] = Sfcc.Url;
        settings["Slas:ClientIds:0"] = SandboxSfcc.SlasClientId;
        return settings;
    }

    /// <summary>The bridge configuration that points it at a simulated SFCC and Omneo (also used by tests and benchmarks).</summary>
    public static Dictionary<string, string?> UpstreamSettings(SandboxSfcc sfcc, SandboxOmneo omneo) => new()
    {
        ["Sfcc:InstanceUrl"] = sfcc.Url,
        ["Sfcc:SiteId"] = SandboxSfcc.SiteId,
        ["Sfcc:OcapiVersion"] = SandboxSfcc.Version,
        ["Sfcc:ClientId"] = SandboxSfcc.ClientId,
        ["Sfcc:ClientSecret"] = SandboxSfcc.ClientSecret,
        ["Sfcc:CustomerListId"] = SandboxSfcc.CustomerList,
        ["Sfcc:AccountManagerTokenUrl"] = sfcc.Url + "/dw/oauth2/access_token",
        ["Omneo:BaseUrl"] = omneo.Url,
        ["Omneo:ApiToken"] = omneo.AdminToken,
        ["Omneo:ClientId"] = null,
        ["Omneo:ClientSecret"] = null,
    };

    /// <summary>The secret the simulated Omneo signs its webhooks with.</summary>
    public string WebhookSecret { get; } = "sandbox-webhook-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    public void Dispose()
    {
        Sfcc.Dispose();
        Omneo.Dispose();
    }
}

/// <summary>
/// What the sandbox tells a newcomer (and the reference cartridge's tests) at <c>GET /sandbox</c>. <c>slas_auth_url</c> is the
/// simulated SLAS's <c>.../oauth2</c> root: <c>/token</c> issues guest tokens, <c>/trusted-system/token</c> registered ones
/// (see <see cref="SandboxSfcc"/>), with <c>slas_client_id:slas_client_secret</c> as Basic client credentials and
/// <c>channel_id</c> = <c>site_id</c>.
/// </summary>
public sealed record SandboxInfo(
    string SfccShopUrl,
    string SfccClientId,
    string OmneoUrl,
    IReadOnlyList<SandboxDemoCustomer> DemoCustomers,
    string SiteId,
    string SlasAuthUrl,
    string SlasClientId,
    string SlasClientSecret);

public sealed record SandboxDemoCustomer(string Login, string Password, string CustomerNo);

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

/// <summary>Prints, once the bridge listens, what to try against the sandbox.</summary>
internal sealed partial class SandboxBanner(
    SandboxLandscape landscape,
    IHostApplicationLifetime lifetime,
    Microsoft.AspNetCore.Hosting.Server.IServer server,
    IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<OmneoSfccBridge.CustomerAuth.Storefront.StorefrontOptions> storefront) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
            var bridge = addresses?.FirstOrDefault() ?? "http://localhost:5000";
            var first = landscape.DemoCustomers[0];
            var key = SandboxStorefront.FirstKey(storefront.Value);
            Console.WriteLine($"""

                ==== OmneoSfccBridge sandbox ====
                Bridge:          {bridge}
                Simulated SFCC:  {landscape.Sfcc.ShopUrl} (client id {SandboxSfcc.ClientId})
                Simulated Omneo: {landscape.Omneo.Url}
                Demo customers:  {string.Join(", ", landscape.DemoCustomers.Select(c => c.Login))} (password {SandboxLandscape.DemoPassword})
                Admin key:       {(landscape.AdminKeyGenerated ? configuration["Admin:ApiKey"] + $" (made on the first run and kept in {Path.GetRelativePath(Environment.CurrentDirectory, SandboxExtensions.AdminKeyFile)}; set Admin__ApiKey to choose one)" : "as configured in Admin__ApiKey")}, sent as X-Admin-Key
                Jobs dashboard:  {bridge.TrimEnd('/')}/hangfire in a browser (sign in with the admin key)
                Data:            {Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(Path.Combine("data", "sandbox")))}/ (emptied at every start)
                Storefront key:  id {key?.KeyId} secret {key?.Secret} (for POST /login/storefront; also at GET /sandbox/storefront)

                Try:
                  curl -s -X POST {bridge}/login -u '{first.Login}:{SandboxLandscape.DemoPassword}'
                  curl -s -i -X POST {landscape.Sfcc.ShopUrl}/customers/auth -H 'x-dw-client-id: {SandboxSfcc.ClientId}' -H 'Content-Type: application/json' -d '{"{"}"type":"guest"{"}"}'
                  curl -s -X POST {bridge}/login -H 'Authorization: Bearer <the token from the line above>'
                  BODY='{"{"}"customer_no":"{first.CustomerNo}","timestamp":'$(date +%s)'{"}"}'; SIG=$(printf %s "$BODY" | openssl dgst -sha256 -hmac '{key?.Secret}' | awk '{"{"}print $NF{"}"}')
                  curl -s -X POST {bridge}/login/storefront -H 'Content-Type: application/json' -H 'X-Storefront-Key: {key?.KeyId}' -H "X-Storefront-Signature: $SIG" -d "$BODY"
                  curl -s -X POST {landscape.Sfcc.SlasAuthUrl}/token -u '{SandboxSfcc.SlasClientId}:{SandboxSfcc.SlasClientSecret}' -d 'grant_type=client_credentials&channel_id={SandboxSfcc.SiteId}'
                  curl -s -X POST {bridge}/login -H 'Authorization: Bearer <access_token from the line above (a SLAS guest)>'
                  curl -s {bridge}/sandbox
                =================================

                """);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
