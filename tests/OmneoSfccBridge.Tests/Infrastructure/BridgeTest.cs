namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>A test class over one shared bridge and stubbed landscape; every test starts from fresh stubs.</summary>
public abstract class BridgeTest : IClassFixture<BridgeFixture>
{
    protected BridgeTest(BridgeFixture fixture)
    {
        Fixture = fixture;
        fixture.Stubs.Reset();
        Client = fixture.Bridge.CreateClient();
    }

    protected BridgeFixture Fixture { get; }

    protected HttpClient Client { get; }

    protected UpstreamStubs Stubs => Fixture.Stubs;

    protected DateTimeOffset Now => Fixture.Bridge.Time.GetUtcNow();
}
