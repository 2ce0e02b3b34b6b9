namespace OmneoSfccBridge.Operations;

/// <summary>Collects every configuration problem of a section, each naming the environment variable to set.</summary>
internal sealed class ConfigErrors(string section)
{
    private readonly List<string> _errors = [];

    public void Add(string key, string problem) => _errors.Add($"{section}__{key}: {problem}");

    public void RequireValue(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(key, "is required.");
        }
    }

    /// <summary>
    /// An upstream (or webhook) URL: absolute https, or http only to a loopback host (localhost, 127.0.0.0/8, [::1]:
    /// the sandbox, tests, a sidecar), and without user info. The value is never repeated: it may hold a password.
    /// </summary>
    public void RequireHttpsUrl(string key, Uri? value)
    {
        if (value is null)
        {
            Add(key, "is required (an absolute https URL).");
        }
        else if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps))
        {
            Add(key, "must be an absolute https URL.");
        }
        else if (value.UserInfo.Length > 0)
        {
            Add(key, "must not hold a user name or password (user info); credentials have their own settings.");
        }
        else if (value.Scheme == Uri.UriSchemeHttp && !IsLoopback(value))
        {
            Add(key, "must be an https URL: plain http is allowed only to a loopback host (localhost, 127.0.0.0/8, [::1]).");
        }
    }

    internal static bool IsLoopback(Uri url) =>
        string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out var address)
            && System.Net.IPAddress.IsLoopback(address));

    public void RequireRange(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(key, $"must be between {min} and {max} (was {value}).");
        }
    }

    public Microsoft.Extensions.Options.ValidateOptionsResult ToResult() =>
        _errors.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(_errors);
}
