using System.Globalization;

namespace OmneoSfccBridge.Sandbox;

/// <summary>Profile ids by a key; a key may be held by more than one profile (the same email twice is allowed).</summary>
internal sealed class ProfileIndex<TKey>(IEqualityComparer<TKey> comparer)
    where TKey : notnull
{
    private readonly Dictionary<TKey, HashSet<string>> _ids = new(comparer);

    public void Add(TKey? key, string id)
    {
        if (key is null)
        {
            return;
        }

        if (!_ids.TryGetValue(key, out var ids))
        {
            _ids[key] = ids = new HashSet<string>(StringComparer.Ordinal);
        }

        ids.Add(id);
    }

    public void Remove(TKey? key, string id)
    {
        if (key is not null && _ids.TryGetValue(key, out var ids) && ids.Remove(id) && ids.Count == 0)
        {
            _ids.Remove(key);
        }
    }

    public IReadOnlyCollection<string> Get(TKey key) => _ids.TryGetValue(key, out var ids) ? ids : [];

    /// <summary>The oldest profile holding the key, so a lookup answers the same every time.</summary>
    public string? First(TKey key) => Get(key).OrderBy(id => int.Parse(id, CultureInfo.InvariantCulture)).FirstOrDefault();
}
