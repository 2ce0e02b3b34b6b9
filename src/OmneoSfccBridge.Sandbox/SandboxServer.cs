using System.Text.Json;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace OmneoSfccBridge.Sandbox;

/// <summary>A WireMock.Net server whose answers come from a simulated upstream's routes, so its state can change.</summary>
internal sealed class SandboxServer : IDisposable
{
    private readonly List<(string Method, Regex Path, Func<IRequestMessage, Match, IResponseMessage> Handle)> _routes = [];
    private readonly WireMockServer _server;

    public SandboxServer()
    {
        // Bounded request log: a sandbox left running (or a backfill benchmark) must not grow without end.
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"], StartAdminInterface = false, MaxRequestLogCount = 1000 });
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(".*")))
            .RespondWith(Response.Create().WithCallback(DelayThenDispatchAsync));
    }

    public string Url => _server.Urls[0];

    /// <summary>How long every answer waits before it is made, as a remote upstream's round trip would (default none).</summary>
    public TimeSpan Latency { get; set; }

    public void Route(string method, string pathPattern, Func<IRequestMessage, Match, IResponseMessage> handle) =>
        _routes.Add((method, new Regex("^" + pathPattern + "$", RegexOptions.CultureInvariant), handle));

    public void Dispose() => _server.Stop();

    private async Task<IResponseMessage> DelayThenDispatchAsync(IRequestMessage request)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }

        return Dispatch(request);
    }

    private IResponseMessage Dispatch(IRequestMessage request)
    {
        foreach (var (method, path, handle) in _routes)
        {
            var match = path.Match(request.Path);
            if (match.Success && string.Equals(method, request.Method, StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    return handle(request, match);
                }
                catch (JsonException)
                {
                    return SandboxHttp.Json(400, new { message = "The body is not valid JSON." });
                }
            }
        }

        return SandboxHttp.Json(404, new { message = $"No sandbox route for {request.Method} {request.Path}" });
    }
}
