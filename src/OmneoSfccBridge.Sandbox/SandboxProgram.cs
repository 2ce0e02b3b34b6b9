namespace OmneoSfccBridge.Sandbox;

/// <summary>
/// The sandbox host: the bridge as the service runs it (<see cref="BridgeApp"/>), pointed at a simulated SFCC and
/// Omneo, with the <c>/sandbox</c> endpoints beside it. Refuses to start in Production.
/// </summary>
public static class SandboxProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(SandboxExtensions.BuilderOptions(args));
        if (SandboxExtensions.Refusal(builder.Environment) is { } refusal)
        {
            await Console.Error.WriteLineAsync(refusal);
            return 1;
        }

        builder.AddSandbox();
        builder.AddBridge();

        var app = builder.Build();
        app.MapBridge();
        app.MapSandboxEndpoints();
        return await app.RunBridgeAsync();
    }
}
