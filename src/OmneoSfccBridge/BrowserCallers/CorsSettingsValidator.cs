using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.BrowserCallers;

/// <summary>Refuses anything that is not an exact http(s) origin, naming the key, so a typo never widens CORS.</summary>
internal sealed class CorsSettingsValidator(IConfiguration configuration) : IValidateOptions<CorsSettings>
{
    public ValidateOptionsResult Validate(string? name, CorsSettings options)
    {
        var errors = new ConfigErrors(CorsSettings.SectionName);
        if (!string.IsNullOrWhiteSpace(configuration[$"{CorsSettings.SectionName}:{nameof(options.AllowedOrigins)}"]))
        {
            errors.Add(nameof(options.AllowedOrigins), "is a list: set Cors__AllowedOrigins__0, Cors__AllowedOrigins__1, ... (one origin each).");
        }

        for (var i = 0; i < options.AllowedOrigins.Length; i++)
        {
            if (Problem(options.AllowedOrigins[i]) is { } problem)
            {
                errors.Add($"{nameof(options.AllowedOrigins)}__{i}", problem);
            }
        }

        errors.RequireRange(nameof(options.PreflightMaxAgeSeconds), options.PreflightMaxAgeSeconds, 0, 86_400);
        return errors.ToResult();
    }

    private static string? Problem(string origin)
    {
        const string Form = "an origin is scheme://host[:port], e.g. https://www.example.com";
        if (string.IsNullOrWhiteSpace(origin))
        {
            return $"is empty; {Form}.";
        }

        // The value is not repeated when it may carry a password (user info).
        if (origin.Contains('@', StringComparison.Ordinal))
        {
            return $"holds user info or an '@'; {Form}.";
        }

        if (origin.Contains('*', StringComparison.Ordinal))
        {
            return $"'{origin}' is a wildcard; list every storefront origin exactly ({Form}).";
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"'{origin}' is not an http(s) origin; {Form}.";
        }

        var afterScheme = origin[(origin.IndexOf("://", StringComparison.Ordinal) + 3)..];
        if (afterScheme.IndexOfAny(['/', '?', '#', '\\']) >= 0)
        {
            return $"'{origin}' has a path or query; {Form} (no trailing slash).";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !ConfigErrors.IsLoopback(uri))
        {
            return $"'{origin}' is plain http: only https origins are allowed, except a loopback host for local development.";
        }

        return null;
    }
}
