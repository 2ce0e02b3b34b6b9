using System.Runtime.CompilerServices;
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
    /// set; the Prometheus endpoint when <c>Metrics__Prometheus</c> is true. With neither, nothing leaves the process, and
    /// no span or metric is recorded (unless <c>Metrics__HostExporter</c> says the host exports them itself).
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        services.AddSingleton<BridgeMetrics>();
        services.AddSingleton<JobTelemetryFilter>();

        // Nothing reads a span or a metric unless an exporter is configured, so without one none is recorded: a warm login
        // then spends nothing on them (issue 14). Decided when the providers are built, so every configuration source
        // (the tests' too) has been applied; the OTLP endpoint comes from the process's variables, as the exporter's does.
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var metricsRecorded = new StrongBox<bool>();
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("omneo-sfcc-bridge"))
            .WithTracing(tracing => tracing
                .AddSource(BridgeMetrics.MeterName)
                // Defaults only: no enrichment with requests or responses, so no header or body reaches a span; the
                // HttpClient instrumentation redacts query string values.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = UpstreamSpans.UseRouteTemplate))
            // The Prometheus reader is a pull exporter: it costs nothing until scraped, and /metrics is mapped only when
            // Metrics__Prometheus is on (read when mapping, so every configuration source has been applied). With no
            // exporter at all, every instrument is dropped: never listened to, so recording costs nothing.
            .WithMetrics(metrics => metrics.AddMeter(BridgeMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter()
                .AddView(_ => metricsRecorded.Value ? null : MetricStreamConfiguration.Drop));

        // Both run as the providers are built, before any instrument or activity source is listened to.
        services.ConfigureOpenTelemetryMeterProvider((sp, _) => metricsRecorded.Value = otlp || Settings(sp).Prometheus || Settings(sp).HostExporter);
        services.ConfigureOpenTelemetryTracerProvider((sp, tracing) =>
        {
            // Unrecorded, a request still carries the caller's trace context to the upstreams and its trace id to problems.
            if (!otlp && !Settings(sp).HostExporter)
            {
                tracing.SetSampler(new AlwaysOffSampler());
            }
        });
        if (otlp)
        {
            // All three signals (logs too: the console's lines); endpoint, protocol, headers and intervals from the
            // standard OTEL_EXPORTER_OTLP_* variables.
            otel.UseOtlpExporter();
        }

        return builder;
    }

    private static MetricsOptions Settings(IServiceProvider services) => services.GetRequiredService<IOptions<MetricsOptions>>().Value;

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
