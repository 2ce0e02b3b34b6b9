using System.Net;
using System.Text;

namespace OmneoSfccBridge.Benchmarks;

/// <summary>
/// SFCC and Omneo answering in memory with zero latency, so what a benchmark measures is the bridge's own time.
/// Counts the calls, so a benchmark can also state how many upstream calls a login makes.
/// </summary>
internal sealed class InMemoryUpstreams : HttpMessageHandler
{
    public const string ProfileId = "9001";
    public const string CustomerNo = "00009001";

    private int _calls;
    private int _tokenCalls;

    public int Calls => Volatile.Read(ref _calls);

    public int TokenCalls => Volatile.Read(ref _tokenCalls);

    public string CustomerId { get; set; } = "";

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _tokenCalls, 0);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var path = request.RequestUri!.AbsolutePath;
        var body = path switch
        {
            "/id/api/v1/auth/token" => Token(),
            "/api/v3/profiles/search-id" => $$$"""{"data":{"id":"{{{ProfileId}}}","email":"bench@example.com","identities":[{"handle":"sfcc","identifier":"{{{CustomerNo}}}"}]}}""",
            _ when path.Contains("/dw/shop/", StringComparison.Ordinal) && request.Method == HttpMethod.Get =>
                $$$"""{"_v":"23.2","auth_type":"registered","customer_id":"{{{CustomerId}}}","customer_no":"{{{CustomerNo}}}","email":"bench@example.com","first_name":"Ben","last_name":"Chmark"}""",
            _ when path.EndsWith("/access_token", StringComparison.Ordinal) => """{"access_token":"am","token_type":"Bearer","expires_in":1799}""",
            _ when path.Contains("/dw/data/", StringComparison.Ordinal) => $$$"""{"customer_no":"{{{CustomerNo}}}","email":"bench@example.com","first_name":"Ben","last_name":"Chmark"}""",
            _ when request.Method == HttpMethod.Put => $$$"""{"data":{"id":"{{{ProfileId}}}"}}""",
            _ => null,
        };
        var response = body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"message":"Not found."}""", Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return Task.FromResult(response);
    }

    private string Token()
    {
        Interlocked.Increment(ref _tokenCalls);
        return $$$"""{"data":{"token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJwaWQiOiI5MDAxIn0.c2ln","exp":{{{DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds()}}}}}""";
    }
}
