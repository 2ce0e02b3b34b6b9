using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.Server;
using WireMock.Settings;

namespace OmneoSfccBridge.Tests.Sandbox;

/// <summary>
/// The sandbox is a demo: it never starts where production runs, and no caller can make it send a signed webhook
/// anywhere but to the bridge itself. Started as a newcomer starts it: the built sandbox host (<c>src/OmneoSfccBridge.Sandbox</c>).
/// </summary>
public sealed class SandboxSafetyTests
{
    [Theory]
    [InlineData("Production", "")]
    [InlineData("production", "")]
    [InlineData(null, "--environment Production")]
    public async Task Start_SandboxInProduction_RefusesWithAClearMessage(string? environment, string arguments)
    {
        await using var bridge = new BridgeProcess(
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = environment, ["DOTNET_ENVIRONMENT"] = null },
            arguments,
            bridgeDll: typeof(SandboxProgram).Assembly.Location);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.StartAsync());

        Assert.Contains("exited with 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("The sandbox refuses to start in the Production environment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SandboxWithNoEnvironmentSet_RunsAsTheReadmeSays()
    {
        await using var bridge = new BridgeProcess(
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = null, ["DOTNET_ENVIRONMENT"] = null, ["Logging:LogLevel:Default"] = "Warning" },
            bridgeDll: typeof(SandboxProgram).Assembly.Location);

        await bridge.StartAsync();

        using var http = new HttpClient { BaseAddress = bridge.Url };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/sandbox", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ChangeOmneoProfile_HostHeaderNamesAnotherServer_WebhookGoesOnlyToTheBridge()
    {
        using var attacker = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        await using var bridge = new BridgeProcess(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }, bridgeDll: typeof(SandboxProgram).Assembly.Location);
        await bridge.StartAsync();
        using var http = new HttpClient { BaseAddress = bridge.Url };

        foreach (var host in new[] { new Uri(attacker.Urls[0]).Authority, "attacker.example" })
        {
            using var change = new HttpRequestMessage(HttpMethod.Patch, new Uri("/sandbox/omneo/profiles/501", UriKind.Relative))
            {
                Content = JsonContent.Create(new { last_name = "Archer-" + host.Length }),
            };
            change.Headers.Host = host;

            var response = await http.SendAsync(change);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(202, (await response.JsonAsync()).GetProperty("webhook_status").GetInt32());
        }

        Assert.Empty(attacker.LogEntries);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://localhost:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://[::]:8080", "http://[::1]:8080/")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("https://localhost:5001 http://[::1]:5000", "http://[::1]:5000/")]
    [InlineData("https://0.0.0.0:5001", "https://localhost:5001/")]
    [InlineData("http://10.0.0.5:5000 http://bridge.example.com:80", null)]
    [InlineData("", null)]
    public void LoopbackAddress_BoundAddresses_IsTheBridgesOwnLoopbackOrNone(string bound, string? expected)
    {
        var server = new BoundServer(bound.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(expected, SandboxSelf.LoopbackAddress(server)?.ToString());
    }

    private sealed class BoundServer : IServer
    {
        public BoundServer(IEnumerable<string> addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }

            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class ServerAddressesFeature : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = [];

        public bool PreferHostingUrls { get; set; }
    }
}
