using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.CustomerAuth.Storefront;

namespace OmneoSfccBridge.Sandbox;

/// <summary>Gives the sandbox a storefront key, so <c>POST /login/storefront</c> can be tried at once.</summary>
internal static class SandboxStorefront
{
    public const string KeyId = "sandbox-storefront";

    /// <summary>A key made up for this run, unless storefront keys are configured (then those are used as they are).</summary>
    public static void Configure(IConfiguration configured, Dictionary<string, string?> settings)
    {
        if (configured.GetSection($"{StorefrontOptions.SectionName}:Keys").GetChildren().Any())
        {
            return;
        }

        settings[$"{StorefrontOptions.SectionName}:Keys:0:Id"] = KeyId;
        settings[$"{StorefrontOptions.SectionName}:Keys:0:Secret"] = "sandbox-storefront-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    }

    /// <summary>The first live key (the sandbox's own, unless others were configured).</summary>
    public static SandboxStorefrontKey? FirstKey(StorefrontOptions options) =>
        options.Keys is [var first, ..] ? new SandboxStorefrontKey(first.Id, first.Secret) : null;

    public static IEndpointRouteBuilder MapSandboxStorefront(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandbox/storefront", GetKey).WithName("SandboxStorefrontKey").WithTags("Sandbox").ExcludeFromDescription();
        return app;
    }

    internal static Results<Ok<SandboxStorefrontKey>, ProblemHttpResult> GetKey(IOptions<StorefrontOptions> options) =>
        FirstKey(options.Value) is { } key
            ? TypedResults.Ok(key)
            : TypedResults.Problem("No storefront key is configured (Storefront__Keys__0__Id / Storefront__Keys__0__Secret).", statusCode: StatusCodes.Status404NotFound, title: "No storefront key");
}
