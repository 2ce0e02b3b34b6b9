using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace OmneoSfccBridge.Benchmarks;

/// <summary>
/// A warm Bearer login (verdict cached, link known) through the whole ASP.NET Core pipeline on an in-memory test
/// server, with SFCC and Omneo answering in memory: the time measured is the bridge's own.
/// </summary>
[MemoryDiagnoser]
public class LoginBenchmarks
{
    private readonly InMemoryUpstreams _upstreams = new();
    private WebApplicationFactory<global::Program> _factory = null!;
    private HttpClient _client = null!;
    private string _token = "";
    private string _directory = "";

    /// <summary><c>CustomerAuth:LinkCacheSeconds</c>: 0 reads the link from SQLite at every login, as before the link cache.</summary>
    [Params(0, 30)]
    public int LinkCacheSeconds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("bridge-bench-").FullName;
        _upstreams.CustomerId = "bcbench" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        _token = MakeOcapiToken(_upstreams.CustomerId);
        _factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(builder =>
        {
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
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
                ["CustomerAuth:LoginPermitsPerMinute"] = "0",
                ["ConnectionStrings:Bridge"] = $"Data Source={Path.Combine(_directory, "bench.db")}",
                ["Sync:LoginRefreshIntervalMinutes"] = "10080",
                ["CustomerAuth:LinkCacheSeconds"] = LinkCacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
            builder.ConfigureLogging(logging => logging.ClearProviders());
            builder.ConfigureServices(services => services.ConfigureAll<HttpClientFactoryOptions>(options =>
                options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.PrimaryHandler = _upstreams)));
        });
        _client = _factory.CreateClient();

        // The first login verifies the token with SFCC and links the profile; every later one is warm.
        var first = LoginAsync().GetAwaiter().GetResult();
        if (!first.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Warm-up login failed: {(int)first.StatusCode} {first.Content.ReadAsStringAsync().Result}");
        }

        _upstreams.ResetCounts();
        for (var i = 0; i < 100; i++)
        {
            LoginAsync().GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }

        Console.WriteLine($"// upstream calls per warm login: {_upstreams.Calls / 100.0} (Omneo token calls: {_upstreams.TokenCalls / 100.0})");
    }

    [Benchmark(Description = "warm Bearer login")]
    public Task<HttpResponseMessage> WarmBearerLogin() => LoginAsync();

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _factory.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<HttpResponseMessage> LoginAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        var response = await _client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static string MakeOcapiToken(string customerId)
    {
        static string Encode(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var now = DateTimeOffset.UtcNow;
        var sub = JsonSerializer.Serialize(new { _v = "1", customer_info = new { customer_id = customerId, guest = false } });
        var payload = JsonSerializer.Serialize(new Dictionary<string, object> { ["_v"] = "1", ["exp"] = now.AddHours(2).ToUnixTimeSeconds(), ["iat"] = now.ToUnixTimeSeconds(), ["iss"] = "bench-client", ["sub"] = sub });
        return Encode("""{"_v":"1","alg":"HS256","typ":"JWT"}""") + "." + Encode(payload) + "." + Encode("not-checked-locally-without-a-key");
    }
}
