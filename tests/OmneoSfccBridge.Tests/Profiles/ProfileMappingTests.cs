using System.Text.Json;
using OmneoSfccBridge.Profiles;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Omneo;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Tests.Profiles;

public sealed class ProfileMappingTests
{
    private static readonly Dictionary<string, string> Custom = new() { ["c_marketingOptIn"] = "marketing_opt_in", ["c_storeId"] = "home_store" };

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, UpstreamJson.Options)!;

    [Fact]
    public void StateOf_SfccCustomerAndTheOmneoProfileItWrote_HashTheSame()
    {
        var customer = Parse<SfccCustomer>("""{"customer_no":"1","email":" ann@example.com ","first_name":"Ann","phone_mobile":"+61 (400) 000-001","birthday":"1990-04-21","gender":2,"c_marketingOptIn":true,"c_storeId":"S1","c_other":"x"}""");
        var written = ProfileMapping.FromSfcc(customer, Custom);
        var profile = Parse<OmneoProfile>(JsonSerializer.Serialize(written, UpstreamJson.Options));

        Assert.Equal("+61400000001", written.MobilePhone);
        Assert.Equal((21, 4, 1990), (written.BirthDay, written.BirthMonth, written.BirthYear));
        Assert.Equal(["home_store", "marketing_opt_in"], written.CustomFields!.Keys.Order());
        Assert.Equal(ProfileMapping.StateOf(customer, Custom).Hash(), ProfileMapping.StateOf(profile, Custom).Hash());
    }

    [Fact]
    public void ToSfccPatch_ChangedOmneoFields_MapBackToSfccNames()
    {
        var profile = Parse<OmneoProfile>("""{"id":"1","first_name":"Bo","mobile_phone":"+61400000002","gender":"male","birth_day":3,"birth_month":2,"birth_year":1991,"custom_fields":{"marketing_opt_in":false,"unmapped":1}}""");
        var state = ProfileMapping.StateOf(profile, Custom);

        var patch = ProfileMapping.ToSfccPatch(state, state.Keys, Custom, emailVerifiedAttribute: null);

        var expected = System.Text.Json.Nodes.JsonNode.Parse("""{"birthday":"1991-02-03","c_marketingOptIn":false,"first_name":"Bo","gender":1,"phone_mobile":"+61400000002"}""");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected, patch), patch.ToJsonString());
    }
}
