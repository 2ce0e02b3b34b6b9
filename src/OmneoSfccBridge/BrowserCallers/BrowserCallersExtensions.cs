using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.BrowserCallers;

/// <summary>
/// CORS for storefront pages that call the shopper endpoints directly. The policy is named, never the default, and
/// applies only where an endpoint asks for it (<see cref="RequireBrowserCallers{TBuilder}"/>): <c>/login</c> and
/// <c>/create</c>, never <c>/admin</c>, <c>/hangfire</c>, <c>/webhooks</c> or server-to-server endpoints.
/// </summary>
internal static class BrowserCallersExtensions
{
    public const string PolicyName = "storefront-browsers";

    /// <summary>What a browser page may send, and read beyond the CORS-safelisted response headers.</summary>
    internal static readonly string[] AllowedHeaders = ["Authorization", "Content-Type", "Idempotency-Key"];
    internal static readonly string[] ExposedHeaders = ["Retry-After", "WWW-Authenticate"];

    public static WebApplicationBuilder AddBrowserCallers(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CorsSettings>().BindConfiguration(CorsSettings.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CorsSettings>, CorsSettingsValidator>();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<CorsSettings>>((cors, settings) => cors.AddPolicy(PolicyName, policy => policy
                .WithOrigins([.. settings.Value.NormalizedOrigins])
                .WithMethods(HttpMethods.Post)
                .WithHeaders(AllowedHeaders)
                .WithExposedHeaders(ExposedHeaders)
                .DisallowCredentials()
                .SetPreflightMaxAge(TimeSpan.FromSeconds(settings.Value.PreflightMaxAgeSeconds))));
        return builder;
    }

    /// <summary>
    /// Before the rate limiter: a preflight is answered here (no upstream call, no permit spent, never a 429 that a
    /// browser would report as a CORS failure), and an actual request gets its CORS headers when the response starts,
    /// so a 401, 429 or 503 problem stays readable by the page.
    /// </summary>
    public static WebApplication UseBrowserCallers(this WebApplication app)
    {
        app.UseCors();
        return app;
    }

    /// <summary>Lets the configured storefront origins call this endpoint from a browser.</summary>
    public static TBuilder RequireBrowserCallers<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder => endpoint.RequireCors(PolicyName);
}
