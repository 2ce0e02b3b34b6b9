using Microsoft.Extensions.Options;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.CustomerRegistration;

internal static class RegistrationExtensions
{
    public const string ConcurrencyLimit = "registrations";

    /// <summary>
    /// Guest registration: the service, its idempotency keys, the conversion record, the background link job and the
    /// limit on registrations in progress.
    /// </summary>
    public static WebApplicationBuilder AddRegistration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RegistrationOptions>, RegistrationOptionsValidator>();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, RegistrationConcurrencyPolicy>(ConcurrencyLimit));
        services.AddSingleton<IdempotencyFingerprint>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<ConversionLog>();
        services.AddSingleton<RegistrationService>();

        // Hangfire resolves jobs from DI; the constructor takes the bridge's internal clients.
        services.AddTransient(sp => new CompleteRegistrationJob(
            sp.GetRequiredService<SfccClient>(),
            sp.GetRequiredService<ProfileLinker>(),
            sp.GetRequiredService<CustomerLinkStore>(),
            sp.GetRequiredService<ConversionLog>(),
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<ILogger<CompleteRegistrationJob>>()));
        return builder;
    }
}
