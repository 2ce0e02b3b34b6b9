using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sandbox;

/// <summary>The sandbox shows the sync end to end: an SFCC change reaches Omneo, an Omneo change (its webhook) reaches SFCC.</summary>
public sealed class SandboxSyncTests : IDisposable
{
    private readonly UpstreamStubs _unused = new();
    private readonly SandboxLandscape _landscape = new(TimeProvider.System);
    private readonly BridgeFactory _bridge;
    private readonly HttpClient _client;

    public SandboxSyncTests()
    {
        var settings = _landscape.Configuration(BridgeFactory.AdminKey);
        settings["Sync:DeltaIntervalMinutes"] = "0";
        _bridge = new BridgeFactory(_unused, overrides: settings)
        {
            ExtraServices = services =>
            {
                services.AddSingleton(_landscape);
                services.AddTransient<IStartupFilter, SandboxEndpoints>();
                // The in-memory test server binds no address: the test names the bridge's own.
                services.AddHttpClient(SandboxSyncEndpoints.WebhookClient)
                    .ConfigureHttpClient(client => client.BaseAddress = new Uri("http://localhost"))
                    .ConfigurePrimaryHttpMessageHandler(() => _bridge!.Server.CreateHandler());
            },
        };
        _client = _bridge.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);
    }

    [Fact]
    public async Task Sandbox_ChangeInSfccThenDelta_ReachesOmneo()
    {
        var alice = _landscape.DemoCustomers[0];
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Http.Login(Http.Basic(alice.Login, SandboxLandscape.DemoPassword)))).StatusCode);
        var profileId = _landscape.Omneo.All().Single(p => p.Email == alice.Email).Id;
        await SyncedAsync(alice.CustomerNo);

        var changed = await _client.PatchAsJsonAsync($"/sandbox/sfcc/customers/{alice.CustomerNo}", new { first_name = "Alicia" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync("/admin/sync/sfcc-to-omneo", null)).StatusCode);

        await Eventually.ReturnsAsync(() => _landscape.Omneo.Find(profileId) is { FirstName: "Alicia" } p ? p : null);
        var shown = await (await _client.GetAsync($"/sandbox/omneo/profiles/{profileId}")).JsonAsync();
        Assert.Equal("Alicia", shown.GetProperty("first_name").GetString());
    }

    [Fact]
    public async Task Sandbox_ChangeInOmneo_IsDeliveredAsSignedWebhookAndPatchesSfcc()
    {
        var bob = _landscape.DemoCustomers[1];
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Http.Login(Http.Basic(bob.Login, SandboxLandscape.DemoPassword)))).StatusCode);
        var profileId = _landscape.Omneo.All().Single(p => p.Email == bob.Email).Id;
        await SyncedAsync(bob.CustomerNo);

        var delivery = await (await _client.PatchAsJsonAsync($"/sandbox/omneo/profiles/{profileId}", new { last_name = "Baker-Brown" })).JsonAsync();

        Assert.Equal(202, delivery.GetProperty("webhook_status").GetInt32());
        await Eventually.ReturnsAsync(() => _landscape.Sfcc.FindByNumber(bob.CustomerNo) is { LastName: "Baker-Brown" } c ? c : null);
    }

    [Fact]
    public async Task Sandbox_UnknownCustomerOrProfile_Is404Problem()
    {
        await (await _client.GetAsync("/sandbox/sfcc/customers/nope")).AssertProblemAsync(404);
        await (await _client.PatchAsJsonAsync("/sandbox/omneo/profiles/nope", new { last_name = "x" })).AssertProblemAsync(404);
    }

    /// <summary>Waits for the login's own profile refresh, so the change below is a change to a synced customer.</summary>
    private async Task SyncedAsync(string customerNo)
    {
        var links = _bridge.Services.GetRequiredService<OmneoSfccBridge.Storage.CustomerLinkStore>();
        await Eventually.AwaitsAsync(async () => await links.FindAsync(SandboxSfcc.CustomerList, customerNo, CancellationToken.None) is { LastRefreshedAt: not null } link ? link : null);
    }

    public void Dispose()
    {
        _client.Dispose();
        _bridge.Dispose();
        _landscape.Dispose();
        _unused.Dispose();
    }

    /// <summary>The sandbox's endpoints behind the service's pipeline, as the sandbox host maps them after <c>MapBridge</c>.</summary>
    private sealed class SandboxEndpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints.MapSandboxSyncEndpoints());
        };
    }
}
