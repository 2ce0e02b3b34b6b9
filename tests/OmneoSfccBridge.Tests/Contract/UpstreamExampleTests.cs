using System.Text.Json;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Contract;

/// <summary>
/// The contract's upstream-failure examples need a failing upstream, which the sandbox cannot be; they are
/// replayed here against WireMock stubs so they cannot rot. (The others are replayed by the cartridge's Node tests.)
/// </summary>
public sealed class UpstreamExampleTests(BridgeFixture fixture) : BridgeTest(fixture)
{
    [Theory]
    [InlineData("upstream-unavailable.json")]
    [InlineData("upstream-timeout.json")]
    [InlineData("upstream-bad-gateway.json")]
    public async Task Example_UpstreamFailure_IsWhatTheServiceAnswers(string file)
    {
        var example = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "cartridge-contract", "examples", file))).RootElement;
        var expected = example.GetProperty("response");
        var status = expected.GetProperty("status").GetInt32();
        var sfcc = Response(status);
        Stubs.Sfcc.Given(Request.Create().WithPath(Shop + "/customers/auth").UsingPost()).RespondWith(sfcc);
        var request = example.GetProperty("request");
        Assert.Equal("/login", request.GetProperty("path").GetString());
        Assert.StartsWith("Basic ", request.GetProperty("headers").GetProperty("Authorization").GetString());

        var response = await Client.SendAsync(Http.Login(Http.Basic("alice@example.com", "any")));

        await response.AssertProblemAsync(status);
        foreach (var header in expected.GetProperty("headers").EnumerateObject().Where(h => h.Name != "Content-Type"))
        {
            Assert.True(response.Headers.Contains(header.Name), $"{file}: the {header.Name} header is missing.");
        }

        var body = await response.JsonAsync();
        foreach (var field in expected.GetProperty("body").EnumerateObject())
        {
            Assert.True(body.TryGetProperty(field.Name, out _), $"{file}: the body lacks {field.Name}.");
        }
    }

    private static WireMock.ResponseBuilders.IResponseBuilder Response(int status) => status switch
    {
        503 => Json(503, new { }).WithHeader("Retry-After", "4"),
        504 => Json(200, new { }).WithDelay(TimeSpan.FromSeconds(8)),
        _ => Json(500, new { fault = new { type = "InternalServerError" } }),
    };
}
