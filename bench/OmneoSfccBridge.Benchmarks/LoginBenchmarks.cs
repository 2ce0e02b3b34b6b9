using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace OmneoSfccBridge.Benchmarks;

/// <summary>
/// A warm Bearer login (verdict cached, link known) through the whole ASP.NET Core pipeline on an in-memory test
/// server, with SFCC and Omneo answering in memory: the time measured is the bridge's own.
/// </summary>
[MemoryDiagnoser]
public class LoginBenchmarks
{
    private readonly InMemoryUpstreams _upstreams = new();
    private InProcessBridge _bridge = null!;
    private HttpClient _client = null!;
    private string _token = "";

    /// <summary><c>CustomerAuth:LinkCacheSeconds</c>: 0 reads the link from SQLite at every login, as before the link cache.</summary>
    [Params(0, 30)]
    public int LinkCacheSeconds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _upstreams.CustomerId = "bcbench" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        _token = MakeOcapiToken(_upstreams.CustomerId);
        _bridge = new InProcessBridge(_upstreams, new Dictionary<string, string?>
        {
            ["CustomerAuth:LoginPermitsPerMinute"] = "0",
            ["Sync:LoginRefreshIntervalMinutes"] = "10080",
            ["CustomerAuth:LinkCacheSeconds"] = LinkCacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _client = _bridge.Factory.CreateClient();

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
        _bridge.Dispose();
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
