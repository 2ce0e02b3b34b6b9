using Microsoft.Extensions.Options;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;
using Refit;

namespace OmneoSfccBridge.Upstreams;

internal static class UpstreamsExtensions
{
    /// <summary>SFCC (Shop API, Data API, Account Manager) and Omneo (admin, ID, OAuth) clients with their options.</summary>
    public static WebApplicationBuilder AddUpstreams(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SfccOptions>().BindConfiguration(SfccOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SfccOptions>, SfccOptionsValidator>();
        services.AddOptions<OmneoOptions>().BindConfiguration(OmneoOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OmneoOptions>, OmneoOptionsValidator>();
        services.AddExceptionHandler<UpstreamProblemHandler>();

        static SfccOptions Sfcc(IServiceProvider sp) => sp.GetRequiredService<IOptions<SfccOptions>>().Value;
        static OmneoOptions Omneo(IServiceProvider sp) => sp.GetRequiredService<IOptions<OmneoOptions>>().Value;

        services.AddRefitGeneratedClient<IOcapiShopApi>(UpstreamJson.RefitSettings)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = Sfcc(sp).ShopApiBase;
                client.DefaultRequestHeaders.Add("x-dw-client-id", Sfcc(sp).ClientId);
            })
            .AddUpstreamPipeline(SfccClient.Name, sp => Sfcc(sp).TimeoutSeconds);

        services.AddRefitGeneratedClient<IAccountManagerApi>(UpstreamJson.RefitSettings)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = new Uri(Sfcc(sp).AccountManagerTokenUrl!.GetLeftPart(UriPartial.Authority)))
            .AddUpstreamPipeline(SfccClient.Name, sp => Sfcc(sp).TimeoutSeconds);
        services.AddSingleton<AccountManagerTokenSource>();

        services.AddRefitGeneratedClient<IOcapiDataApi>(UpstreamJson.RefitSettings)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = Sfcc(sp).DataApiBase)
            .AddUpstreamPipeline(SfccClient.Name, sp => Sfcc(sp).TimeoutSeconds, sp => sp.GetRequiredService<AccountManagerTokenSource>());
        services.AddSingleton<SfccClient>();
        services.AddSlasUpstreams();

        services.AddRefitGeneratedClient<IOmneoAuthApi>(UpstreamJson.RefitSettings)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = Omneo(sp).AdminApiBase)
            .AddUpstreamPipeline(OmneoClient.Name, sp => Omneo(sp).TimeoutSeconds);
        services.AddSingleton<OmneoOAuthTokenSource>();
        services.AddKeyedSingleton<IAccessTokenSource>(OmneoClient.Name, (sp, _) => Omneo(sp).UsesStaticToken
            ? new StaticAccessTokenSource(Omneo(sp).ApiToken!)
            : sp.GetRequiredService<OmneoOAuthTokenSource>());

        // Profiles (four calls per new customer of a backfill), webhooks, and the warm login's one upstream call: typed
        // HttpClients with source-generated JSON, not Refit (see UpstreamRequests).
        services.AddHttpClient<OmneoProfilesApi>((sp, client) => client.BaseAddress = Omneo(sp).AdminApiBase)
            .AddUpstreamPipeline(OmneoClient.Name, sp => Omneo(sp).TimeoutSeconds, sp => sp.GetRequiredKeyedService<IAccessTokenSource>(OmneoClient.Name));
        services.AddHttpClient<OmneoWebhooksApi>((sp, client) => client.BaseAddress = Omneo(sp).AdminApiBase)
            .AddUpstreamPipeline(OmneoClient.Name, sp => Omneo(sp).TimeoutSeconds, sp => sp.GetRequiredKeyedService<IAccessTokenSource>(OmneoClient.Name));
        services.AddHttpClient<OmneoIdApi>((sp, client) => client.BaseAddress = Omneo(sp).IdApiBase)
            .AddUpstreamPipeline(OmneoClient.Name, sp => Omneo(sp).TimeoutSeconds, sp => sp.GetRequiredKeyedService<IAccessTokenSource>(OmneoClient.Name), concurrencyLimit: false);
        services.AddSingleton<OmneoClient>();
        return builder;
    }
}
