using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OmneoSfccBridge.Upstreams;

namespace OmneoSfccBridge.Profiles;

/// <summary>The shared fields of one customer (Omneo field name → value as text; absent = empty), ordered, so it hashes stably.</summary>
internal sealed class ProfileState
{
    private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);

    public IEnumerable<string> Keys => _values.Keys;

    public string? Get(string key) => _values.GetValueOrDefault(key);

    public void Set(string key, string? value)
    {
        if (value is null)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = value;
        }
    }

    public ProfileState Copy()
    {
        var copy = new ProfileState();
        foreach (var (key, value) in _values)
        {
            copy._values[key] = value;
        }

        return copy;
    }

    /// <summary>Keys where the two states differ.</summary>
    public IEnumerable<string> DiffersFrom(ProfileState? other) =>
        Keys.Concat(other?.Keys ?? []).Distinct(StringComparer.Ordinal).Where(k => Get(k) != other?.Get(k));

    public string ToJson() => JsonSerializer.Serialize(_values, UpstreamJson.Options);

    public static ProfileState? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        var state = new ProfileState();
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(json, UpstreamJson.Options) ?? [])
        {
            state.Set(key, value);
        }

        return state;
    }

    public string Hash() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())))[..32];
}
