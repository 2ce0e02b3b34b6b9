using Microsoft.Extensions.Options;
using OmneoSfccBridge.Admin;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OmneoSfccBridge.Observability;

internal static class ObservabilityExtensions
{
    /// <summary>The scrape endpoint's path, when <see cref="MetricsOptions.Prometheus"/> is on.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The standard variable that turns the OTLP exporter on (traces, metrics and logs).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The bridge's meter and activity source, ASP.NET Core and HttpClient instrumentation, the job filter, and the
    /// exporters the configuration asks for: OTLP (traces, metrics, logs) when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set; the Prometheus endpoint when <c>Metrics__Prometheus</c> is true. With neither, nothing leaves the process.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        services.AddSingleton<BridgeMetrics>();
        services.AddSingleton<JobTelemetryFilter>();

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("omneo-sfcc-bridge"))
            .WithTracing(tracing => tracing
                .AddSource(BridgeMetrics.MeterName)
                // Defaults only: no enrichment with requests or responses, so no header or body reaches a span; the
                // HttpClient instrumentation redacts query string values.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = UpstreamSpans.UseRouteTemplate))
            // The Prometheus reader is a pull exporter: it costs nothing until scraped, and /metrics is mapped only when
            // Metrics__Prometheus is on (read when mapping, so every configuration source has been applied).
            .WithMetrics(metrics => metrics.AddMeter(BridgeMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            // All three signals (logs too: the console's lines); endpoint, protocol, headers and intervals from the
            // standard OTEL_EXPORTER_OTLP_* variables.
            otel.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary><c>/metrics</c> for Prometheus when on, behind the admin key (a 401 problem without it); else not mapped (404).</summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Prometheus)
        {
            return app;
        }

        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (context.RequestServices.GetRequiredService<AdminKey>().IsValid(context))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Admin key required", Detail = $"Send the admin key in the {AdminKey.HeaderName} header." },
            });
        }), optionsName: null);
        return app;
    }
}
