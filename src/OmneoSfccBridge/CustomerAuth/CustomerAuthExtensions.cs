using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.CustomerAuth.Tokens;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.CustomerAuth;

internal static class CustomerAuthExtensions
{
    public const string LoginAccountRateLimit = "login-account";

    /// <summary>Shopper token validation, the verdict cache, profile linking and the per-account login limit (the per-address one is in Limits).</summary>
    public static WebApplicationBuilder AddCustomerAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CustomerAuthOptions>().BindConfiguration(CustomerAuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CustomerAuthOptions>, CustomerAuthOptionsValidator>();
        services.AddKeyedSingleton<IMemoryCache>(ShopperTokenValidator.CacheKey, (sp, _) => new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = sp.GetRequiredService<IOptions<CustomerAuthOptions>>().Value.VerdictCacheEntries,
        }));
        // Picked up by CustomerLinkStore, which drops an entry at every write of the link.
        services.AddSingleton(sp => new CustomerLinkCache(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CustomerAuthOptions>>().Value.LinkCacheSeconds),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IShopperTokenScheme, OcapiTokenScheme>();
        services.AddSingleton<SlasSigningKeys>();
        services.AddSingleton<IShopperTokenScheme, SlasTokenScheme>();
        services.AddSingleton<ShopperTokenValidator>();
        services.AddProfiles();
        services.AddSingleton<LoginService>();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, LoginJson.Default));

        services.AddRateLimiter(limiter => limiter.AddPolicy<string, LoginAccountRateLimitPolicy>(LoginAccountRateLimit));
        return builder;
    }
}
