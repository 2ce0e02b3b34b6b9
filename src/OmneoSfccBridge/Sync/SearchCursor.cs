using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Sync;

/// <summary>Keyset position in an ascending search: customers at or after <c>From</c>, skipping <c>Skip</c> that share that timestamp.</summary>
internal readonly record struct SearchCursor(DateTimeOffset? From, int Skip)
{
    /// <summary>The cursor after a page, so the next page starts right after its last customer without deep paging.</summary>
    public SearchCursor After(IReadOnlyList<SfccCustomer> page, Func<SfccCustomer, DateTimeOffset?> key)
    {
        if (page.Count == 0)
        {
            return this;
        }

        var last = key(page[^1]);
        if (last is null || (From is { } from && last <= from))
        {
            return this with { Skip = Skip + page.Count };
        }

        return new SearchCursor(last, page.Count(c => key(c) == last));
    }
}
