using System.Globalization;

namespace OmneoSfccBridge.Upstreams.Sfcc;

/// <summary>
/// The Data API's <c>customer_search</c> body the sync sends (snake_case on the wire, nulls left out): every customer
/// of the list, or those whose <c>field</c> is at or after a time, sorted by that field then customer_no.
/// </summary>
public sealed record CustomerSearchRequest(CustomerSearchRequest.SearchQuery Query, string Select, int Count, int Start, IReadOnlyList<CustomerSearchRequest.Sort> Sorts)
{
    /// <summary>One page of customers whose <paramref name="field"/> is at or after <paramref name="from"/> (all when null).</summary>
    public static CustomerSearchRequest Page(string field, DateTimeOffset? from, int start, int count) => new(
        from is null
            ? new SearchQuery(new MatchAll(), null)
            : new SearchQuery(null, new Filtered(new SearchQuery(new MatchAll(), null), new Filter(new Range(field, from.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), FromInclusive: true)))),
        "(**)",
        count,
        start,
        [new Sort(field, "asc"), new Sort("customer_no", "asc")]);

    /// <summary>Either every customer (<c>match_all_query</c>) or a filtered query.</summary>
    public sealed record SearchQuery(MatchAll? MatchAllQuery, Filtered? FilteredQuery);

    /// <summary><c>{}</c>: matches everything.</summary>
    public sealed record MatchAll;

    /// <summary>A query narrowed by a filter.</summary>
    public sealed record Filtered(SearchQuery Query, Filter Filter);

    /// <summary>The filter of a filtered query.</summary>
    public sealed record Filter(Range RangeFilter);

    /// <summary>A field at or after a value.</summary>
    public sealed record Range(string Field, string From, bool FromInclusive);

    /// <summary>One sort key.</summary>
    public sealed record Sort(string Field, string SortOrder);
}
