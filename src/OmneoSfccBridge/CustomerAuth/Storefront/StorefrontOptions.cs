using System.Text;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;
using OmneoSfccBridge.Upstreams;

namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>
/// The signed storefront login (<c>POST /login/storefront</c>): the keys a storefront's server side signs with. With no
/// key the endpoint is off (404).
/// </summary>
public sealed class StorefrontOptions
{
    public const string SectionName = "Storefront";

    /// <summary>Smallest secret accepted, in bytes (UTF-8): as long as the HMAC-SHA256 output.</summary>
    public const int MinSecretBytes = 32;

    /// <summary>
    /// The live keys. Several may be live at once, so a key is rotated without downtime: add the new one, move the
    /// storefront to it, then remove the old one.
    /// </summary>
    public List<StorefrontKey> Keys { get; set; } = [];

    /// <summary>How far a request's <c>timestamp</c> may be from the bridge's clock, either way, in seconds (5 to 3600).</summary>
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>Accepted storefront logins per key per minute, on each instance (0 turns the limit off).</summary>
    public int PermitsPerKeyPerMinute { get; set; } = 6000;

    internal bool Enabled => Keys.Count > 0;
}

/// <summary>One storefront signing key.</summary>
public sealed class StorefrontKey
{
    /// <summary>Sent as <c>X-Storefront-Key</c>; not a secret (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, 1 to 64).</summary>
    public string Id { get; set; } = "";

    /// <summary>The HMAC-SHA256 key, at least 32 bytes of UTF-8 (e.g. <c>openssl rand -hex 32</c>). Never logged.</summary>
    public string Secret { get; set; } = "";
}

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
