using OmneoSfccBridge.Admin;
using OmneoSfccBridge.BrowserCallers;
using OmneoSfccBridge.CustomerAuth;
using OmneoSfccBridge.CustomerAuth.Storefront;
using OmneoSfccBridge.CustomerRegistration;
using OmneoSfccBridge.Limits;
using OmneoSfccBridge.Observability;
using OmneoSfccBridge.Operations;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Webhooks;

if (args is ["--probe", var probeUrl])
{
    // The container's HEALTHCHECK: the runtime image has no curl.
    return await OmneoSfccBridge.Operations.Probe.RunAsync(new Uri(probeUrl));
}

var sandbox = args.Contains("--sandbox");
var builder = WebApplication.CreateBuilder(SandboxExtensions.BuilderOptions(args, sandbox));
if (sandbox)
{
    if (SandboxExtensions.Refusal(builder.Environment) is { } refusal)
    {
        await Console.Error.WriteLineAsync(refusal);
        return 1;
    }

    builder.AddSandbox();
}

builder.AddOperations();
builder.AddObservability();
builder.AddLimits();
builder.AddBrowserCallers();
builder.AddStorage();
builder.AddUpstreams();
builder.AddCustomerAuth();
builder.AddStorefrontLogin();
builder.AddRegistration();
builder.AddSync();
builder.AddAdmin();

var app = builder.Build();
app.UseOperations();
app.UseBrowserCallers();
app.UseLimits();
app.MapOperations();
app.MapObservability();
app.MapLoginEndpoints();
app.MapStorefrontLogin();
app.MapRegistrationEndpoints();
app.MapAdminEndpoints();
app.MapSyncAdminEndpoints();
app.MapOmneoWebhooks();
app.MapOmneoWebhookSubscriptions();
app.MapSandboxEndpoints();
try
{
    await app.RunAsync();
}
catch (Exception ex) when (ConfigurationCheck.Report(ex))
{
    return 1;
}

return 0;

/// <summary>The entry point, visible to the functional tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
