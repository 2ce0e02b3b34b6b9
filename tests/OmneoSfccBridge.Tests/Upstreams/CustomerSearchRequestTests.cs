using System.Text.Json;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Tests.Upstreams;

/// <summary>The Data API search body, as the typed request writes it: the shape docs/upstreams.md shows, nulls left out.</summary>
public sealed class CustomerSearchRequestTests
{
    [Fact]
    public void Page_WithoutAStart_IsAMatchAllQuerySortedByTheFieldThenCustomerNo()
    {
        var json = JsonSerializer.Serialize(CustomerSearchRequest.Page("creation_date", null, 0, 200), UpstreamJson.Options);

        Assert.Equal(
            """{"query":{"match_all_query":{}},"select":"(**)","count":200,"start":0,"sorts":[{"field":"creation_date","sort_order":"asc"},{"field":"customer_no","sort_order":"asc"}]}""",
            json);
    }

    [Fact]
    public void Page_FromATime_IsARangeFilterFromThatTimeInclusiveInUtcMilliseconds()
    {
        var from = new DateTimeOffset(2026, 11, 30, 9, 15, 2, 345, TimeSpan.FromHours(2));

        var json = JsonSerializer.Serialize(CustomerSearchRequest.Page("last_modified", from, 3, 50), UpstreamJson.Options);

        Assert.Equal(
            """{"query":{"filtered_query":{"query":{"match_all_query":{}},"filter":{"range_filter":{"field":"last_modified","from":"2026-11-30T07:15:02.345Z","from_inclusive":true}}}},"select":"(**)","count":50,"start":3,"sorts":[{"field":"last_modified","sort_order":"asc"},{"field":"customer_no","sort_order":"asc"}]}""",
            json);
    }
}
