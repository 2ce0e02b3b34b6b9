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

    public void RequireHttpUrl(string key, Uri? value)
    {
        if (value is null)
        {
            Add(key, "is required (an absolute http or https URL).");
        }
        else if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps))
        {
            Add(key, "must be an absolute http or https URL.");
        }
    }

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
