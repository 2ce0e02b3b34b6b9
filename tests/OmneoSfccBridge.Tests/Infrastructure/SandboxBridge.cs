using System.Net.Http.Json;
using System.Text.Json;
using OmneoSfccBridge.Sandbox;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// The bridge against the stateful simulated SFCC and Omneo of the sandbox (search with range filters and paging,
/// profiles that remember writes), for tests about many customers. The database may be shared with a later instance.
/// </summary>
public sealed class SandboxBridge : IDisposable
{
    private readonly UpstreamStubs _unused = new();

    public SandboxBridge(SandboxSfcc sfcc, SandboxOmneo omneo, string? databasePath = null, string? postgres = null, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(SandboxLandscape.UpstreamSettings(sfcc, omneo))
        {
            ["Sync:PageSize"] = "5",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (databasePath is not null && postgres is null)
        {
            settings["ConnectionStrings:Bridge"] = $"Data Source={databasePath}";
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        Bridge = new BridgeFactory(_unused, postgres, settings);
        Admin = Bridge.CreateClient();
        Admin.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);
    }

    public BridgeFactory Bridge { get; }

    public HttpClient Admin { get; }

    public async Task<JsonElement> StatusAsync()
    {
        var response = await Admin.GetAsync("/admin/sync/status");
        response.EnsureSuccessStatusCode();
        return await response.JsonAsync();
    }

    /// <summary>Starts a delta run and waits until a run started after it has finished; returns the status then.</summary>
    public async Task<JsonElement> RunDeltaAsync()
    {
        var before = LastRunId(await StatusAsync());
        (await Admin.PostAsync("/admin/sync/sfcc-to-omneo", null)).EnsureSuccessStatusCode();
        var done = await Eventually.ReturnsAsync(() =>
        {
            var status = StatusAsync().GetAwaiter().GetResult();
            return status.GetProperty("last_runs").EnumerateArray()
                .Any(r => r.GetProperty("id").GetInt64() > before && r.GetProperty("outcome").GetString() is "completed" or "failed")
                ? new Box(status)
                : null;
        });
        return done.Value;
    }

    /// <summary>Waits until the backfill the status reports meets <paramref name="condition"/>.</summary>
    public async Task<JsonElement> BackfillReachesAsync(Func<JsonElement, bool> condition)
    {
        var done = await Eventually.ReturnsAsync(() =>
        {
            var status = StatusAsync().GetAwaiter().GetResult();
            return status.TryGetProperty("backfill", out var backfill) && backfill.ValueKind == JsonValueKind.Object && condition(backfill) ? new Box(backfill) : null;
        });
        return done.Value;
    }

    private static long LastRunId(JsonElement status) =>
        status.GetProperty("last_runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).DefaultIfEmpty(0).Max();

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => Admin.PostAsJsonAsync(path, body);

    public void Dispose()
    {
        Admin.Dispose();
        Bridge.Dispose();
        _unused.Dispose();
    }

    private sealed record Box(JsonElement Value);
}
