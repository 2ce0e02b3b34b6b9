using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.CustomerAuth.Tokens;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Sync;

namespace OmneoSfccBridge.CustomerAuth;

internal static class CustomerAuthExtensions
{
    public const string LoginRateLimit = "login";

    /// <summary>Shopper token validation, the verdict cache, profile linking and the login rate limit.</summary>
    public static WebApplicationBuilder AddCustomerAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CustomerAuthOptions>().BindConfiguration(CustomerAuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CustomerAuthOptions>, CustomerAuthOptionsValidator>();
        services.AddKeyedSingleton<IMemoryCache>(ShopperTokenValidator.CacheKey, (sp, _) => new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = sp.GetRequiredService<IOptions<CustomerAuthOptions>>().Value.VerdictCacheEntries,
        }));
        services.AddSingleton<IShopperTokenScheme, OcapiTokenScheme>();
        services.AddSingleton<ShopperTokenValidator>();
        services.AddProfiles();
        services.AddSingleton<LoginService>();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginRateLimit, context =>
            {
                var permits = context.RequestServices.GetRequiredService<IOptions<CustomerAuthOptions>>().Value.LoginPermitsPerMinute;
                return permits == 0
                    ? RateLimitPartition.GetNoLimiter("off")
                    : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = permits,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = "Too many login attempts from this address. Try again after the Retry-After delay." },
                });
            };
        });
        return builder;
    }
}
