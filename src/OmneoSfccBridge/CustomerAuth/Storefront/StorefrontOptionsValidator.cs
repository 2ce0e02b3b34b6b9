using System.Text;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;
using OmneoSfccBridge.Upstreams;

namespace OmneoSfccBridge.CustomerAuth.Storefront;

internal sealed class StorefrontOptionsValidator : IValidateOptions<StorefrontOptions>
{
    public ValidateOptionsResult Validate(string? name, StorefrontOptions options)
    {
        var errors = new ConfigErrors(StorefrontOptions.SectionName);
        errors.RequireRange(nameof(options.MaxClockSkewSeconds), options.MaxClockSkewSeconds, 5, 3600);
        errors.RequireRange(nameof(options.PermitsPerKeyPerMinute), options.PermitsPerKeyPerMinute, 0, 1_000_000);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var where = $"{nameof(options.Keys)}__{i}";

            // A bad id is named by its position only: it could be a secret pasted into the wrong variable.
            if (!UpstreamIdentifier.IsValid(key.Id))
            {
                errors.Add($"{where}__{nameof(key.Id)}", "is required: 1 to 64 letters, digits, '.', '_' or '-' (not '.' or '..').");
            }
            else if (!seen.Add(key.Id))
            {
                errors.Add($"{where}__{nameof(key.Id)}", $"'{key.Id}' is the id of another key too; every key needs its own id.");
            }

            var label = UpstreamIdentifier.IsValid(key.Id) ? $"key '{key.Id}'" : "this key";
            var bytes = Encoding.UTF8.GetByteCount(key.Secret ?? "");
            if (bytes < StorefrontOptions.MinSecretBytes)
            {
                errors.Add($"{where}__{nameof(key.Secret)}", $"the secret of {label} is {bytes} bytes; at least {StorefrontOptions.MinSecretBytes} are required (e.g. the output of 'openssl rand -hex 32').");
            }
        }

        return errors.ToResult();
    }
}
