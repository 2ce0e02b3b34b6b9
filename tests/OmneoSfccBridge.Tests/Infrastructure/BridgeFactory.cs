using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// The bridge in-process, pointed at WireMock stubs of SFCC and Omneo, on a real database (a fresh SQLite file by
/// default; PostgreSQL when given a connection string), with a fake clock and every log line captured.
/// </summary>
public class BridgeFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string IdempotencySecret = "test-idempotency-secret-0123456789abcdef";

    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-tests-").FullName;
    private readonly Dictionary<string, string?> _settings;

    public BridgeFactory(UpstreamStubs stubs, string? postgresConnectionString = null, IDictionary<string, string?>? overrides = null)
    {
        Stubs = stubs;
        _settings = new Dictionary<string, string?>
        {
            ["Sfcc:InstanceUrl"] = stubs.Sfcc.Urls[0],
            ["Sfcc:SiteId"] = UpstreamStubs.SiteId,
            ["Sfcc:ClientId"] = OcapiTokens.ClientId,
            ["Sfcc:ClientSecret"] = UpstreamStubs.ClientSecret,
            ["Sfcc:CustomerListId"] = UpstreamStubs.ListId,
            ["Sfcc:AccountManagerTokenUrl"] = stubs.Sfcc.Urls[0] + "/dw/oauth2/access_token",
            ["Sfcc:TimeoutSeconds"] = "5", // well below the slow stubs (8 s, 10 s), above a busy shared machine's stalls
            ["Omneo:BaseUrl"] = stubs.Omneo.Urls[0],
            ["Omneo:ApiToken"] = UpstreamStubs.OmneoAdminToken,
            ["Omneo:TimeoutSeconds"] = "5", // well below the slow stubs (8 s, 10 s), above a busy shared machine's stalls
            ["Omneo:WebhookSecret"] = UpstreamStubs.WebhookSecret,
            ["Sync:DeltaIntervalMinutes"] = "0",
            ["Admin:ApiKey"] = AdminKey,
            ["Profiles:EmailVerifiedAttribute"] = UpstreamStubs.EmailVerifiedAttribute,
            ["Registration:IdempotencySecret"] = IdempotencySecret,
            ["CustomerAuth:LoginPermitsPerMinute"] = "0",
            ["CustomerAuth:LoginAttemptsPerAccountPerMinute"] = "0",
            ["Admin:PermitsPerMinute"] = "0",
            ["Admin:WebhookPermitsPerMinute"] = "0",
            ["Storage:Provider"] = postgresConnectionString is null ? "Sqlite" : "Postgres",
            ["ConnectionStrings:Bridge"] = postgresConnectionString ?? $"Data Source={Path.Combine(_directory, "bridge.db")}",
            ["Logging:LogLevel:Default"] = "Trace",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public UpstreamStubs Stubs { get; }

    /// <summary>More services for this bridge (e.g. the sandbox landscape), added after the bridge's own.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    public TestClock Time { get; } = new();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
            if (Environment.GetEnvironmentVariable("BRIDGE_TEST_CONSOLE_LOGS") == "1")
            {
                logging.AddSimpleConsole();
            }
        });
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            HangfireLog.KeepProcessWide(services);
            ExtraServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>One stubbed landscape and one bridge per test class; each test starts from fresh stubs.</summary>
public sealed class BridgeFixture : IDisposable
{
    public BridgeFixture()
    {
        Stubs = new UpstreamStubs();
        Bridge = new BridgeFactory(Stubs);
    }

    public UpstreamStubs Stubs { get; }

    public BridgeFactory Bridge { get; }

    /// <summary>Whether a test has started the bridge (the first test of a class starts it, with its stubs fresh).</summary>
    public bool Started { get; set; }

    public void Dispose()
    {
        Bridge.Dispose();
        Stubs.Dispose();
    }
}
