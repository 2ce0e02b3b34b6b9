using System.Text.Json;
using Microsoft.Extensions.Options;
using Refit;

namespace OmneoSfccBridge.Upstreams.Sfcc;

internal static class SlasUpstreamExtensions
{
    /// <summary>SCAPI speaks camelCase, unlike OCAPI and Omneo.</summary>
    private static readonly RefitSettings ScapiRefitSettings = new(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    /// <summary>The SLAS JWKS and Shopper Customers clients, with the same error translation and resilience as every upstream.</summary>
    public static IServiceCollection AddSlasUpstreams(this IServiceCollection services)
    {
        services.AddOptions<SlasOptions>().BindConfiguration(SlasOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlasOptions>, SlasOptionsValidator>();

        static SlasOptions Slas(IServiceProvider sp) => sp.GetRequiredService<IOptions<SlasOptions>>().Value;
        static int Timeout(IServiceProvider sp) => sp.GetRequiredService<IOptions<SfccOptions>>().Value.TimeoutSeconds;

        services.AddRefitGeneratedClient<ISlasAuthApi>(ScapiRefitSettings)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = Slas(sp).EffectiveBaseUrl)
            .AddUpstreamPipeline(SlasClient.Name, Timeout);
        services.AddRefitGeneratedClient<ISlasShopperCustomersApi>(ScapiRefitSettings)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = Slas(sp).EffectiveBaseUrl)
            .AddUpstreamPipeline(SlasClient.Name, Timeout);
        services.AddSingleton<SlasClient>();
        return services;
    }
}
