using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Upstreams.Omneo;

namespace OmneoSfccBridge.Benchmarks;

/// <summary>
/// The four Omneo calls a new customer of a backfill costs (search by identity: 404; search by email: none; create;
/// add the identity), through <see cref="OmneoClient"/> and the whole outbound pipeline (handler, resilience), Omneo
/// answering in memory with zero latency: the bridge's own time and allocations per new customer's Omneo calls.
/// </summary>
[MemoryDiagnoser]
public class OmneoCallsBenchmarks
{
    private InProcessBridge _bridge = null!;
    private OmneoClient _omneo = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bridge = new InProcessBridge(new NewCustomerOmneo());
        _ = _bridge.Factory.CreateClient();
        _omneo = _bridge.Factory.Services.GetRequiredService<OmneoClient>();
    }

    [GlobalCleanup]
    public void Cleanup() => _bridge.Dispose();

    [Benchmark(Description = "new customer: search-id, email search, create, add identity")]
    public async Task<bool> NewCustomer()
    {
        var found = await _omneo.FindByIdentityAsync("00009002", CancellationToken.None);
        var byEmail = await _omneo.FindByEmailAsync("new@example.com", CancellationToken.None);
        var (profile, _) = await _omneo.CreateProfileAsync(new OmneoProfileInput { Email = "new@example.com", FirstName = "New", LastName = "Customer" }, CancellationToken.None);
        return found is null && byEmail.Count == 0 && await _omneo.AddIdentityAsync(profile!.Id!, "00009002", CancellationToken.None);
    }

    /// <summary>Omneo as a new customer meets it; the answer names its request, as a real handler's does (Refit reads it).</summary>
    private sealed class NewCustomerOmneo : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var (status, body) = path switch
            {
                "/api/v3/profiles/search-id" => (HttpStatusCode.NotFound, """{"message":"Not found."}"""),
                "/api/v3/profiles" when request.Method == HttpMethod.Get => (HttpStatusCode.OK, """{"data":[],"meta":{"current_page":1,"last_page":1,"per_page":50,"total":0}}"""),
                "/api/v3/profiles" => (HttpStatusCode.Created, """{"data":{"id":"9002","email":"new@example.com","first_name":"New","last_name":"Customer"}}"""),
                "/api/v3/profiles/9002/identities" => (HttpStatusCode.Created, """{"data":{"handle":"sfcc","identifier":"00009002","is_primary":true,"is_active":true}}"""),
                _ => (HttpStatusCode.NotFound, """{"message":"Not found."}"""),
            };
            return Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
