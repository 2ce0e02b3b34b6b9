using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Sync;

public sealed class WebhookSubscriptionTests : IDisposable
{
    private const string HookUrl = "https://bridge.example.com/webhooks/omneo";
    private readonly SandboxSfcc _sfcc = new(TimeProvider.System);
    private readonly SandboxOmneo _omneo = new(TimeProvider.System);

    private static readonly Dictionary<string, string?> Configured = new()
    {
        ["Omneo:WebhookUrl"] = HookUrl,
        ["Omneo:WebhookNamespace"] = "sfcc-bridge",
        ["Omneo:WebhookSecret"] = "a-webhook-secret-of-the-tenant",
    };

    [Fact]
    public async Task Subscribe_FirstCall_CreatesOneActiveWebhookPerEventUnderTheBridgesNamespace_AndRepeatingChangesNothing()
    {
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: Configured);

        var first = await (await bridge.Admin.PostAsync("/admin/omneo/webhooks", null)).JsonAsync();
        var second = await bridge.Admin.PostAsync("/admin/omneo/webhooks", null);

        Assert.Equal(["created", "created", "created"], first.GetProperty("webhooks").EnumerateArray().Select(w => w.GetProperty("action").GetString()));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.All((await second.JsonAsync()).GetProperty("webhooks").EnumerateArray(), w => Assert.Equal("unchanged", w.GetProperty("action").GetString()));
        Assert.Equal(["profile.deleted", "profile.merged", "profile.updated"], _omneo.Webhooks().Select(w => w.Trigger).Order());
        Assert.All(_omneo.Webhooks(), w => Assert.Equal((HookUrl, "sfcc-bridge", true), (w.Url, w.Namespace, w.IsActive)));
    }

    [Fact]
    public async Task Subscribe_AnOlderSubscriptionWithoutTheNamespace_IsCorrectedNotDoubled_AndOtherIntegrationsAreLeftAlone()
    {
        using var omneoAdmin = new HttpClient { BaseAddress = new Uri(_omneo.Url) };
        omneoAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _omneo.AdminToken);
        (await omneoAdmin.PostAsJsonAsync("/api/v3/webhooks", new { trigger = "profile.updated", url = HookUrl, is_active = false })).EnsureSuccessStatusCode();
        (await omneoAdmin.PostAsJsonAsync("/api/v3/webhooks", new { trigger = "profile.updated", url = "https://crm.example.com/hook", @namespace = "crm" })).EnsureSuccessStatusCode();
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: Configured);

        var answer = await (await bridge.Admin.PostAsync("/admin/omneo/webhooks", null)).JsonAsync();

        var updated = answer.GetProperty("webhooks").EnumerateArray().Single(w => w.GetProperty("trigger").GetString() == "profile.updated");
        Assert.Equal(("1", "updated"), (updated.GetProperty("id").GetString(), updated.GetProperty("action").GetString()));
        Assert.Equal(4, _omneo.Webhooks().Count);
        Assert.Equal(("sfcc-bridge", true), (_omneo.Webhooks()[0].Namespace, _omneo.Webhooks()[0].IsActive));
        Assert.Equal(("https://crm.example.com/hook", "crm"), (_omneo.Webhooks()[1].Url, _omneo.Webhooks()[1].Namespace));
    }

    [Fact]
    public async Task Subscribe_NoWebhookUrlConfigured_Is409AndAsksOmneoNothing()
    {
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: new Dictionary<string, string?> { ["Omneo:WebhookSecret"] = "a-webhook-secret-of-the-tenant" });

        var response = await bridge.Admin.PostAsync("/admin/omneo/webhooks", null);

        await response.AssertProblemAsync(409);
        Assert.Empty(_omneo.Webhooks());
    }

    [Fact]
    public async Task Subscribe_AnEventOmneoDoesNotKnow_Is409NamingItAndWhatWasSubscribedBefore()
    {
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: new Dictionary<string, string?>(Configured) { ["Omneo:WebhookTriggers"] = "profile.updated, profile.exploded" });

        var response = await bridge.Admin.PostAsync("/admin/omneo/webhooks", null);

        await response.AssertProblemAsync(409);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("'profile.exploded' (trigger: The selected trigger is invalid.)", detail);
        Assert.Contains("profile.updated (created)", detail);
        Assert.Equal(["profile.updated"], _omneo.Webhooks().Select(w => w.Trigger));
    }

    [Fact]
    public async Task Subscribe_WithoutTheAdminKey_Is401()
    {
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: Configured);

        var response = await bridge.Bridge.CreateClient().PostAsync("/admin/omneo/webhooks", null);

        await response.AssertProblemAsync(401);
        Assert.Empty(_omneo.Webhooks());
    }

    public void Dispose()
    {
        _sfcc.Dispose();
        _omneo.Dispose();
    }
}
