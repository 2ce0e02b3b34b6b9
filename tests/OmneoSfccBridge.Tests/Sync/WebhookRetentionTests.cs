using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Tests.Infrastructure;
using OmneoSfccBridge.Webhooks;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Sync;

/// <summary>Stored webhook deliveries are kept for <c>Sync:WebhookRetentionDays</c>, then purged, so replays cannot grow the table without bound.</summary>
public sealed class WebhookRetentionTests
{
    [Fact]
    public async Task WebhookPurge_DeliveriesOlderThanTheRetention_AreDeletedAndNewerOnesKept()
    {
        using var stubs = new UpstreamStubs();
        stubs.Reset();
        using var bridge = new BridgeFactory(stubs);
        var client = bridge.CreateClient();
        var store = bridge.Services.GetRequiredService<WebhookEventStore>();

        var old = await DeliverAsync(client, """{"id":"8801","first_name":"Old"}""");
        bridge.Time.Advance(TimeSpan.FromDays(6));
        var recent = await DeliverAsync(client, """{"id":"8802","first_name":"Recent"}""");
        bridge.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        await bridge.Services.GetRequiredService<WebhookPurgeJob>().RunAsync(CancellationToken.None);

        Assert.Null(await store.GetWebhookAsync(old, CancellationToken.None));
        Assert.NotNull(await store.GetWebhookAsync(recent, CancellationToken.None));
        var replayed = await DeliverAsync(client, """{"id":"8801","first_name":"Old"}""");
        Assert.NotEqual(old, replayed);
        var settled = await Eventually.AwaitsAsync(async () => await store.GetWebhookAsync(replayed, CancellationToken.None) is { Status: not "pending" } e ? e : null);
        Assert.Equal("skipped", settled.Status);
    }

    [Fact]
    public void Startup_WebhookRetentionOutOfRange_FailsNamingTheKey()
    {
        using var stubs = new UpstreamStubs();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?> { ["Sync:WebhookRetentionDays"] = "0" });

        var error = Assert.ThrowsAny<Exception>(() => bridge.CreateClient());

        Assert.Contains("Sync__WebhookRetentionDays: must be between 1 and 365 (was 0)", string.Join("\n", Flatten(error).Select(e => e.Message)));
    }

    private static async Task<long> DeliverAsync(HttpClient client, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/omneo") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Omneo-Event", "profile.updated");
        request.Headers.Add("X-Omneo-Hmac-SHA256", Sign(body));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("event_id").GetInt64();
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is null ? [e] : [e, .. Flatten(e.InnerException)];
}
