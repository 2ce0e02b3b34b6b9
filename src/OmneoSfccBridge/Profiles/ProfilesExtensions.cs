using Microsoft.Extensions.Options;
using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Profiles;

internal static class ProfilesExtensions
{
    /// <summary>The profile-matching policy and the linker that applies it.</summary>
    public static IServiceCollection AddProfiles(this IServiceCollection services)
    {
        services.AddOptions<ProfilesOptions>().BindConfiguration(ProfilesOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProfilesOptions>, ProfilesOptionsValidator>();
        services.AddSingleton<LinkCandidates>();
        services.AddSingleton<ProfileLinker>();
        return services;
    }
}
