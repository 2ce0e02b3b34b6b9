using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sandbox;

/// <summary>The simulated Omneo answers email and identity lookups from indexes; they must follow every change.</summary>
public sealed class SandboxOmneoTests : IDisposable
{
    private readonly SandboxOmneo _omneo = new(TimeProvider.System);
    private readonly HttpClient _client;

    public SandboxOmneoTests()
    {
        _client = new HttpClient { BaseAddress = new Uri(_omneo.Url) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _omneo.AdminToken);
    }

    [Fact]
    public async Task Lookups_AfterCreateUpdateIdentityAndMerge_FollowTheProfiles()
    {
        var ann = await CreateAsync("ann@example.com");
        Assert.Equal(422, (int)(await PostAsync("/api/v3/profiles", new { email = "ANN@example.com" })).StatusCode);
        Assert.Equal([ann], await ByEmailAsync("Ann@Example.com"));

        Assert.True((await _client.PutAsJsonAsync($"/api/v3/profiles/{ann}", new { email = "ann.new@example.com" })).IsSuccessStatusCode);
        Assert.Empty(await ByEmailAsync("ann@example.com"));
        Assert.Equal([ann], await ByEmailAsync("ann.new@example.com"));
        var bob = await CreateAsync("ann@example.com");

        Assert.Equal(201, (int)(await PostAsync($"/api/v3/profiles/{ann}/identities", new { handle = "sfcc", identifier = "00001001" })).StatusCode);
        Assert.Equal(422, (int)(await PostAsync($"/api/v3/profiles/{bob}/identities", new { handle = "sfcc", identifier = "00001001" })).StatusCode);
        Assert.Equal(ann, await ByIdentityAsync("sfcc", "00001001"));

        Assert.True((await PostAsync("/api/v3/profiles/merge", new { source_profile_id = ann, destination_profile_id = bob })).IsSuccessStatusCode);
        Assert.Equal(bob, await ByIdentityAsync("sfcc", "00001001"));
        Assert.Empty(await ByEmailAsync("ann.new@example.com"));
        Assert.Equal([bob], await ByEmailAsync("ann@example.com"));
        await CreateAsync("ann.new@example.com");
    }

    [Fact]
    public async Task Lookups_AfterADirectEditOfTheProfile_FollowIt()
    {
        var profile = _omneo.AddProfile("cat@example.com", "Cat", "Edit", "00002001");

        profile.Email = "cat.moved@example.com";
        profile.Identities.Add(("loyalty", "L-7"));
        profile.Identities.Remove(("sfcc", "00002001"));

        Assert.Empty(await ByEmailAsync("cat@example.com"));
        Assert.Equal([profile.Id], await ByEmailAsync("cat.moved@example.com"));
        Assert.Equal(profile.Id, await ByIdentityAsync("loyalty", "L-7"));
        Assert.Null(await ByIdentityAsync("sfcc", "00002001"));
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) => _client.PostAsJsonAsync(path, body);

    private async Task<string> CreateAsync(string email)
    {
        var created = await PostAsync("/api/v3/profiles", new { email, first_name = "F", last_name = "L" });
        Assert.Equal(201, (int)created.StatusCode);
        return (await created.JsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
    }

    private async Task<string[]> ByEmailAsync(string email)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/v3/profiles?filter[email]=" + Uri.EscapeDataString(email));
        return [.. page.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];
    }

    private async Task<string?> ByIdentityAsync(string handle, string identifier)
    {
        var found = await PostAsync("/api/v3/profiles/search-id", new { type = handle, id = identifier });
        return found.IsSuccessStatusCode ? (await found.JsonAsync()).GetProperty("data").GetProperty("id").GetString() : null;
    }

    public void Dispose()
    {
        _client.Dispose();
        _omneo.Dispose();
    }
}
