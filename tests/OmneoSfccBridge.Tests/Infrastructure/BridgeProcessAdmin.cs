using System.Text.Json;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>The admin calls the process-level tests make (kept apart from <see cref="BridgeProcess"/>, which bench/ links).</summary>
public static class BridgeProcessAdmin
{
    /// <summary>A client for the process's admin endpoints, with the tests' admin key.</summary>
    public static HttpClient AdminClient(this BridgeProcess bridge)
    {
        var client = new HttpClient { BaseAddress = bridge.Url };
        client.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);
        return client;
    }

    /// <summary>Waits until the backfill shown by <c>/admin/sync/status</c> meets <paramref name="condition"/>; returns it.</summary>
    public static async Task<JsonElement> BackfillReachesAsync(HttpClient admin, Func<JsonElement, bool> condition, int timeoutSeconds = 60)
    {
        var reached = await Eventually.AwaitsAsync(async () =>
        {
            var status = await (await admin.GetAsync(new Uri("/admin/sync/status", UriKind.Relative))).JsonAsync();
            return status.GetProperty("backfill") is { ValueKind: JsonValueKind.Object } backfill && condition(backfill) ? new Box(backfill) : null;
        }, timeoutSeconds);
        return reached.Value;
    }

    private sealed record Box(JsonElement Value);
}
