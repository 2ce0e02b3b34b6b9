using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OmneoSfccBridge.Operations;

internal static class OperationsExtensions
{
    /// <summary>ProblemDetails for every error, snake_case JSON, health checks and the OpenAPI document.</summary>
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.Logging.AddFilter(ConfigurationCheck.HostCategory, LogLevel.Critical);
        // Before AddProblemDetails, so it is the first writer asked (see ProblemWriter).
        services.AddSingleton<IProblemDetailsWriter, ProblemWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.HttpContext.Response.Headers.CacheControl = "no-store");
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
        });
        // Each feature adds its own checks (the database's is tagged "ready").
        services.AddHealthChecks();
        services.AddOpenApi();
        services.AddSingleton(TimeProvider.System);

        // Request bodies are small JSON documents; cap them well below Kestrel's 30 MB default.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);
        return builder;
    }

    public static WebApplication UseOperations(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        // Route handlers over the framework's HealthCheckService (rather than MapHealthChecks) so the OpenAPI document
        // lists them like every other endpoint; the answers are the same: "Healthy" 200, "Unhealthy" 503, plain text.
        var health = app.MapGroup("/health").WithTags("Operations");
        health.MapGet("/live", (HttpContext context, CancellationToken cancellationToken) => HealthAsync(context, null, _ => false, cancellationToken)).WithName("Live")
            .WithSummary("The process answers.").Produces<string>(StatusCodes.Status200OK, "text/plain");
        health.MapGet("/ready", (HttpContext context, HealthCheckService checks, CancellationToken cancellationToken) => HealthAsync(context, checks, c => c.Tags.Contains("ready"), cancellationToken)).WithName("Ready")
            .WithSummary("The database answers.").Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        app.MapOpenApi();
        return app;
    }

    private static async Task<IResult> HealthAsync(HttpContext context, HealthCheckService? checks, Func<HealthCheckRegistration, bool> predicate, CancellationToken cancellationToken)
    {
        // As MapHealthChecks does: a probe must never be answered from a cache.
        context.Response.Headers.CacheControl = "no-store, no-cache";
        var status = checks is null ? HealthStatus.Healthy : (await checks.CheckHealthAsync(predicate, cancellationToken)).Status;
        return TypedResults.Text(status.ToString(), "text/plain", statusCode: status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
