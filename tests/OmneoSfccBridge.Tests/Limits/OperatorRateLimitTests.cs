using System.Text;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Limits;

/// <summary>/admin, /hangfire and /webhooks/omneo have their own per-address limits, separate from the shoppers'.</summary>
public sealed class OperatorRateLimitTests : IDisposable
{
    private readonly UpstreamStubs _stubs = new();

    [Fact]
    public async Task Admin_BurstOfWrongKeys_IsCutOffWith429EvenForTheRightKeyAndTheDashboard()
    {
        using var bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?> { ["Admin:PermitsPerMinute"] = "5" });
        var client = bridge.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            await (await client.SendAsync(Admin("/admin/customers/00000001", $"guess-{i}-0123456789abcdefghij"))).AssertProblemAsync(401);
        }

        var sixth = await client.SendAsync(Admin("/admin/customers/00000001", "guess-5-0123456789abcdefghij"));
        var rightKey = await client.SendAsync(Admin("/admin/sync/status", BridgeFactory.AdminKey));
        var dashboard = await client.SendAsync(Admin("/hangfire", BridgeFactory.AdminKey));
        var login = await client.SendAsync(Http.Login(null));

        await sixth.AssertProblemAsync(429);
        Assert.NotNull(sixth.Headers.RetryAfter?.Delta);
        Assert.Equal("client_address", (await sixth.JsonAsync()).GetProperty("limit").GetString());
        await rightKey.AssertProblemAsync(429);
        await dashboard.AssertProblemAsync(429);
        await login.AssertProblemAsync(400);
    }

    [Fact]
    public async Task Webhook_BurstOfUnsignedDeliveries_IsCutOffWith429()
    {
        using var bridge = new BridgeFactory(_stubs, overrides: new Dictionary<string, string?> { ["Admin:WebhookPermitsPerMinute"] = "2" });
        var client = bridge.CreateClient();

        await (await client.SendAsync(Webhook())).AssertProblemAsync(401);
        await (await client.SendAsync(Webhook())).AssertProblemAsync(401);
        var third = await client.SendAsync(Webhook());

        await third.AssertProblemAsync(429);
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
    }

    public void Dispose() => _stubs.Dispose();

    private static HttpRequestMessage Admin(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Admin-Key", key);
        return request;
    }

    private static HttpRequestMessage Webhook() => new(HttpMethod.Post, "/webhooks/omneo")
    {
        Content = new StringContent("""{"event":"profile.updated","data":{"id":1}}""", Encoding.UTF8, "application/json"),
    };
}
