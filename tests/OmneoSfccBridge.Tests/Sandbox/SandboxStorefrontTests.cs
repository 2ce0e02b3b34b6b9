using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.CustomerAuth.Storefront;
using OmneoSfccBridge.Sandbox;

namespace OmneoSfccBridge.Tests.Sandbox;

public sealed class SandboxStorefrontTests
{
    [Fact]
    public void GetKey_NoStorefrontKeyConfigured_IsA404ProblemNamingTheSettings()
    {
        var result = SandboxStorefront.GetKey(Options.Create(new StorefrontOptions()));

        var problem = Assert.IsType<ProblemHttpResult>(result.Result);
        Assert.Equal(404, problem.StatusCode);
        Assert.Contains("Storefront__Keys__0__Id", problem.ProblemDetails.Detail, StringComparison.Ordinal);
    }
}
