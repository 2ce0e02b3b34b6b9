using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace OmneoSfccBridge.Benchmarks;

/// <summary>
/// The bridge on an in-memory test server for a benchmark: its own SQLite file in a temporary folder, logging off,
/// every upstream call answered by <c>upstreams</c> in memory, so what is measured is the bridge's own work.
/// </summary>
internal sealed class InProcessBridge : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-bench-").FullName;

    public InProcessBridge(HttpMessageHandler upstreams, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Sfcc:InstanceUrl"] = "https://sfcc.invalid",
            ["Sfcc:SiteId"] = "Bench",
            ["Sfcc:ClientId"] = "bench-client",
            ["Sfcc:ClientSecret"] = "bench-secret",
            ["Sfcc:CustomerListId"] = "Bench",
            ["Omneo:BaseUrl"] = "https://omneo.invalid",
            ["Omneo:ApiToken"] = "bench-admin-token",
            ["Admin:ApiKey"] = "bench-admin-key-0123456789abcdef",
            ["Registration:IdempotencySecret"] = "bench-idempotency-secret-0123456789abcdef",
            ["ConnectionStrings:Bridge"] = $"Data Source={Path.Combine(_directory, "bench.db")}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        Factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(builder =>
        {
            // Found from the build output's folder upwards, wherever BenchmarkDotNet runs the benchmark from.
            builder.UseSolutionRelativeContentRoot(Path.Combine("src", "OmneoSfccBridge"), "OmneoSfccBridge.sln");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(configuration));
            builder.ConfigureLogging(logging => logging.ClearProviders());
            builder.ConfigureServices(services => services.ConfigureAll<HttpClientFactoryOptions>(options =>
                options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.PrimaryHandler = upstreams)));
        });
    }

    public WebApplicationFactory<global::Program> Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
