using OmneoSfccBridge;

if (args is ["--probe", var probeUrl])
{
    // The container's HEALTHCHECK: the runtime image has no curl.
    return await OmneoSfccBridge.Operations.Probe.RunAsync(new Uri(probeUrl));
}

var builder = WebApplication.CreateBuilder(args);
builder.AddBridge();

var app = builder.Build();
app.MapBridge();
return await app.RunBridgeAsync();

/// <summary>The entry point, visible to the functional tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
