using System.Net;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Operations;

public sealed class OperationsTests : IClassFixture<BridgeFixture>
{
    private readonly BridgeFixture _fixture;

    public OperationsTests(BridgeFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_DatabaseUp_Returns200(string path)
    {
        var response = await _fixture.Bridge.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task OpenApi_Document_ListsTheHealthEndpoints(string path)
    {
        var document = await (await _fixture.Bridge.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();

        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var endpoint));
        Assert.True(endpoint.GetProperty("get").GetProperty("responses").TryGetProperty("200", out _));
    }

    [Fact]
    public async Task OpenApi_Document_DescribesLogin()
    {
        var document = await (await _fixture.Bridge.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();

        Assert.True(document.GetProperty("paths").TryGetProperty("/login", out var login));
        Assert.True(login.GetProperty("post").GetProperty("responses").TryGetProperty("401", out _));
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        var response = await _fixture.Bridge.CreateClient().GetAsync("/no-such-thing");

        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task Admin_WithoutOrWithWrongKey_Returns401()
    {
        var client = _fixture.Bridge.CreateClient();
        await (await client.GetAsync("/admin/customers/1")).AssertProblemAsync(401);
        client.DefaultRequestHeaders.Add("X-Admin-Key", "wrong-key-wrong-key-wrong-key");
        await (await client.GetAsync("/admin/customers/1")).AssertProblemAsync(401);
    }

    [Fact]
    public async Task Admin_WithKey_AnswersUnknownCustomerWith404()
    {
        var client = _fixture.Bridge.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);

        await (await client.GetAsync("/admin/customers/does-not-exist")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task HangfireDashboard_WithoutKey_IsRefused()
    {
        var response = await _fixture.Bridge.CreateClient().GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public void Startup_MissingAndInvalidConfiguration_NamesEveryKey()
    {
        using var stubs = new UpstreamStubs();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?>
        {
            ["Sfcc:InstanceUrl"] = null,
            ["Sfcc:ClientId"] = "",
            ["Omneo:ApiToken"] = null,
            ["Admin:ApiKey"] = "short",
            ["CustomerAuth:OcapiAlgorithms:0"] = "none",
            ["CustomerAuth:ClockSkewSeconds"] = "600",
        });

        var error = Assert.ThrowsAny<Exception>(() => bridge.CreateClient());

        var messages = string.Join("\n", Flatten(error).Select(e => e.Message));
        Assert.Contains("Sfcc__InstanceUrl", messages);
        Assert.Contains("Sfcc__ClientId", messages);
        Assert.Contains("Omneo__ApiToken", messages);
        Assert.Contains("Admin__ApiKey", messages);
        Assert.Contains("CustomerAuth__OcapiAlgorithms: 'none'", messages);
        Assert.Contains("CustomerAuth__ClockSkewSeconds", messages);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("only-31-bytes-long-0123456789ab")]
    public void Startup_IdempotencySecretMissingOrShort_RefusesNamingTheKey(string? secret)
    {
        using var stubs = new UpstreamStubs();
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?> { ["Registration:IdempotencySecret"] = secret });

        var error = Assert.ThrowsAny<Exception>(() => bridge.CreateClient());

        Assert.Contains("Registration__IdempotencySecret", string.Join("\n", Flatten(error).Select(e => e.Message)));
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is null ? [e] : [e, .. Flatten(e.InnerException)];
}
