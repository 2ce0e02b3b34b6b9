using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Admin;
using OmneoSfccBridge.CustomerAuth;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Limits;

/// <summary>
/// Who the client is (its address, through known proxies only) and the per-address request limits of every
/// surface. Endpoint policies add the limits that are not per address: per account on <c>/login</c>, concurrency
/// on <c>/create</c>.
/// </summary>
internal static class LimitsExtensions
{
    public static WebApplicationBuilder AddLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) => settings.Value.ApplyTo(options));

        // The global limiter runs before any endpoint policy, so a request refused per address never spends a
        // per-account permit.
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => LimitProblems.RejectAsync(
                context,
                StatusCodes.Status429TooManyRequests,
                "Too many requests",
                $"Too many requests to {Describe(Classify(context.HttpContext.Request.Path))} from this client address. Try again after the Retry-After delay.",
                "client_address",
                TimeSpan.FromSeconds(60));
        });

        // The limits' options are resolved here, once, not from the request's services at every request.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<CustomerAuthOptions>, IOptions<AdminOptions>>((limiter, auth, admin) =>
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => PerAddress(context, auth.Value, admin.Value)));
        return builder;
    }

    /// <summary>Forwarded headers (only when proxies are configured), then the rate limiter.</summary>
    public static WebApplication UseLimits(this WebApplication app)
    {
        // With no known proxy the middleware would believe X-Forwarded-For from anyone, so it is left out entirely.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Any)
        {
            app.UseForwardedHeaders();
        }

        app.UseRateLimiter();
        return app;
    }

    internal enum Surface
    {
        None,
        Shopper,
        Admin,
        Webhook,
    }

    // /login/storefront is called by the storefront's few servers on behalf of all its shoppers: a per-address count
    // would throttle the whole shop at one shopper's rate. Its own limit counts per signing key.
    internal static Surface Classify(PathString path) =>
        path.StartsWithSegments("/login/storefront") ? Surface.None
        : path.StartsWithSegments("/login") || path.StartsWithSegments("/create") ? Surface.Shopper
        : path.StartsWithSegments("/admin") || path.StartsWithSegments("/hangfire") || path.StartsWithSegments(Observability.ObservabilityExtensions.MetricsPath) ? Surface.Admin
        : path.StartsWithSegments("/webhooks/omneo") ? Surface.Webhook
        : Surface.None;

    private static string Describe(Surface surface) => surface switch
    {
        Surface.Shopper => "/login and /create",
        Surface.Admin => "/admin, /hangfire and /metrics",
        _ => "/webhooks/omneo",
    };

    private static readonly RateLimitPartition<string> Off = RateLimitPartition.GetNoLimiter("off");

    private static RateLimitPartition<string> PerAddress(HttpContext context, CustomerAuthOptions auth, AdminOptions admin)
    {
        var surface = Classify(context.Request.Path);
        var permits = surface switch
        {
            Surface.Shopper => auth.LoginPermitsPerMinute,
            Surface.Admin => admin.PermitsPerMinute,
            Surface.Webhook => admin.WebhookPermitsPerMinute,
            _ => 0,
        };
        return permits == 0
            ? Off
            : RateLimitPartition.GetFixedWindowLimiter($"{surface}:{ClientKey(context.Connection.RemoteIpAddress)}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
    }

    /// <summary>
    /// The client's address as a limiter key. An IPv6 client usually holds a whole /64 and could rotate through it,
    /// so IPv6 addresses count per /64.
    /// </summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
