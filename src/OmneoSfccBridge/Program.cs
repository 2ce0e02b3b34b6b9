using OmneoSfccBridge.Admin;
using OmneoSfccBridge.CustomerAuth;
using OmneoSfccBridge.Operations;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Webhooks;

var sandbox = args.Contains("--sandbox");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--sandbox").ToArray());
if (sandbox)
{
    builder.AddSandbox();
}

builder.AddOperations();
builder.AddStorage();
builder.AddUpstreams();
builder.AddCustomerAuth();
builder.AddSync();
builder.AddAdmin();

var app = builder.Build();
app.UseOperations();
app.UseRateLimiter();
app.MapOperations();
app.MapLoginEndpoints();
app.MapAdminEndpoints();
app.MapSyncAdminEndpoints();
app.MapOmneoWebhooks();
app.MapSandboxEndpoints();
app.Run();

/// <summary>The entry point, visible to the functional tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
