using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sync;

public sealed class SyncAdminTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    [Theory]
    [InlineData("POST", "/admin/sync/sfcc-to-omneo")]
    [InlineData("POST", "/admin/sync/backfill")]
    [InlineData("POST", "/admin/sync/retry-failed")]
    [InlineData("GET", "/admin/sync/status")]
    public async Task SyncAdmin_WithoutTheAdminKey_Is401(string method, string path)
    {
        var client = fixture.Bridge.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Admin-Key", "wrong-key-wrong-key-wrong-key");

        var wrong = await client.SendAsync(request);
        var missing = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await wrong.AssertProblemAsync(401);
        await missing.AssertProblemAsync(401);
    }

    [Fact]
    public async Task SyncStatus_FreshBridge_ShowsNoWatermarkAndNothingFailed()
    {
        var client = fixture.Bridge.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);

        var status = await (await client.GetAsync("/admin/sync/status")).JsonAsync();

        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("watermark").ValueKind);
        Assert.Equal(0, status.GetProperty("failed_records_total").GetInt64());
        Assert.Equal(0, status.GetProperty("conflicts_total").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("backfill").ValueKind);
    }
}
