using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Sync;
using OmneoSfccBridge.Tests.Infrastructure;
using WireMock.RequestBuilders;
using static OmneoSfccBridge.Tests.Infrastructure.UpstreamStubs;

namespace OmneoSfccBridge.Tests.Sync;

public sealed class DeltaSyncTests : IDisposable
{
    private readonly SandboxSfcc _sfcc = new(TimeProvider.System);
    private readonly SandboxOmneo _omneo = new(TimeProvider.System);

    private static IEnumerable<string> Identities(SandboxProfile p) => p.Identities.Where(i => i.Handle == "sfcc").Select(i => i.Identifier);

    [Fact]
    public async Task Delta_LinkedAndNewCustomersOverSeveralPages_AllReachOmneoOnceAndTheWatermarkAdvances()
    {
        var customers = Enumerable.Range(1, 12).Select(i => _sfcc.AddCustomer($"d{i}@example.com", "pw", $"First{i}", "Delta")).ToList();
        _omneo.AddProfile("d1@example.com", "Old", "Name", customers[0].CustomerNo).UpdatedAt = DateTimeOffset.UtcNow.AddDays(-1);
        using var bridge = new SandboxBridge(_sfcc, _omneo);

        var status = await bridge.RunDeltaAsync();

        var profiles = _omneo.All();
        Assert.Equal(12, profiles.Count);
        Assert.Equal(customers.Select(c => c.CustomerNo).Order(), profiles.SelectMany(Identities).Order());
        Assert.Equal("First1", profiles.Single(p => Identities(p).Contains(customers[0].CustomerNo)).FirstName);
        var watermark = DateTimeOffset.Parse(status.GetProperty("watermark").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(customers.Max(c => c.LastModified).ToUnixTimeMilliseconds(), watermark.ToUnixTimeMilliseconds());
        var run = status.GetProperty("last_runs")[0];
        Assert.Equal(("completed", 12), (run.GetProperty("outcome").GetString(), run.GetProperty("customers").GetInt32()));
        Assert.Equal(12, status.GetProperty("linked_customers").GetInt64());
    }

    [Fact]
    public async Task Delta_SecondRun_WritesOnlyTheCustomerThatChanged()
    {
        var ann = _sfcc.AddCustomer("ann.d@example.com", "pw", "Ann", "Delta");
        var bob = _sfcc.AddCustomer("bob.d@example.com", "pw", "Bob", "Delta");
        using var bridge = new SandboxBridge(_sfcc, _omneo);
        await bridge.RunDeltaAsync();
        var bobProfile = _omneo.All().Single(p => Identities(p).Contains(bob.CustomerNo));
        var bobWritten = bobProfile.UpdatedAt;

        _sfcc.Update(ann.CustomerNo, c => c.LastName = "Changed");
        var status = await bridge.RunDeltaAsync();

        Assert.Equal("Changed", _omneo.All().Single(p => Identities(p).Contains(ann.CustomerNo)).LastName);
        Assert.Equal(bobWritten, _omneo.Find(bobProfile.Id)!.UpdatedAt);
        Assert.Equal(1, status.GetProperty("last_runs")[0].GetProperty("written").GetInt32());
    }

    [Fact]
    public async Task Delta_OmneoRefusesOneRecord_SetsItAsideAndAppliesTheRest_ThenRetrySucceeds()
    {
        var taken = _omneo.AddProfile("taken@example.com", "Someone", "Else");
        var cat = _sfcc.AddCustomer("cat.d@example.com", "pw", "Cat", "Delta");
        var dan = _sfcc.AddCustomer("dan.d@example.com", "pw", "Dan", "Delta");
        using var bridge = new SandboxBridge(_sfcc, _omneo);
        await bridge.RunDeltaAsync();
        _sfcc.Update(cat.CustomerNo, c => c.Email = "taken@example.com");
        _sfcc.Update(dan.CustomerNo, c => c.FirstName = "Daniel");

        var status = await bridge.RunDeltaAsync();

        Assert.Equal("Daniel", _omneo.All().Single(p => Identities(p).Contains(dan.CustomerNo)).FirstName);
        var failed = Assert.Single(status.GetProperty("failed_records").EnumerateArray());
        Assert.Equal(cat.CustomerNo, failed.GetProperty("customer_no").GetString());
        Assert.Equal("sfcc_to_omneo", failed.GetProperty("direction").GetString());
        Assert.Contains("email: The email has already been taken.", failed.GetProperty("reason").GetString());
        Assert.Equal("completed", status.GetProperty("last_runs")[0].GetProperty("outcome").GetString());
        Assert.True(DateTimeOffset.Parse(status.GetProperty("watermark").GetString()!, CultureInfo.InvariantCulture) >= _sfcc.FindByNumber(dan.CustomerNo)!.LastModified.AddMilliseconds(-1));

        taken.Email = "moved@example.com";
        var retried = await bridge.Admin.PostAsync("/admin/sync/retry-failed", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        await Eventually.ReturnsAsync(() => bridge.StatusAsync().GetAwaiter().GetResult().GetProperty("failed_records_total").GetInt64() == 0 ? "cleared" : null);
        Assert.Equal("taken@example.com", _omneo.All().Single(p => Identities(p).Contains(cat.CustomerNo)).Email);
    }

    [Fact]
    public async Task Delta_AfterTheBridgeWroteAnOmneoChangeToSfcc_DoesNotWriteItBack()
    {
        var eve = _sfcc.AddCustomer("eve.d@example.com", "pw", "Eve", "Delta");
        using var bridge = new SandboxBridge(_sfcc, _omneo, overrides: new Dictionary<string, string?> { ["Omneo:WebhookSecret"] = WebhookSecret });
        await bridge.RunDeltaAsync();
        var profile = _omneo.All().Single(p => Identities(p).Contains(eve.CustomerNo));
        profile.FirstName = "Evelyn";
        var body = JsonSerializer.Serialize(new { id = profile.Id, first_name = "Evelyn" });
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/omneo") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Omneo-Event", "profile.updated");
        request.Headers.Add("X-Omneo-Hmac-SHA256", Sign(body));
        Assert.Equal(HttpStatusCode.Accepted, (await bridge.Bridge.CreateClient().SendAsync(request)).StatusCode);
        await Eventually.ReturnsAsync(() => _sfcc.FindByNumber(eve.CustomerNo)!.FirstName == "Evelyn" ? "patched" : null);
        var omneoWritten = _omneo.Find(profile.Id)!.UpdatedAt;

        var status = await bridge.RunDeltaAsync();

        Assert.Equal(0, status.GetProperty("last_runs")[0].GetProperty("written").GetInt32());
        Assert.Equal(omneoWritten, _omneo.Find(profile.Id)!.UpdatedAt);
    }

    [Fact]
    public async Task Delta_OmneoEditedAnotherFieldAndNoWebhookCame_KeepsTheEditAndBringsItToSfcc()
    {
        var fay = _sfcc.AddCustomer("fay.d@example.com", "pw", "Fay", "Delta");
        using var bridge = new SandboxBridge(_sfcc, _omneo);
        await bridge.RunDeltaAsync();
        var profile = _omneo.All().Single(p => Identities(p).Contains(fay.CustomerNo));
        profile.LastName = "Omneo-Edit";
        profile.UpdatedAt = DateTimeOffset.UtcNow;
        _sfcc.Update(fay.CustomerNo, c => c.FirstName = "Faye");

        await bridge.RunDeltaAsync();

        Assert.Equal(("Faye", "Omneo-Edit"), (_omneo.Find(profile.Id)!.FirstName, _omneo.Find(profile.Id)!.LastName));
        Assert.Equal(("Faye", "Omneo-Edit"), (_sfcc.FindByNumber(fay.CustomerNo)!.FirstName, _sfcc.FindByNumber(fay.CustomerNo)!.LastName));
        Assert.Empty(await Conflicts(bridge));
    }

    [Fact]
    public async Task Delta_BothSidesChangedTheSameFieldAndNoWebhookCame_TheNewerWinsAndTheConflictIsRecorded()
    {
        var gus = _sfcc.AddCustomer("gus.d@example.com", "pw", "Gus", "Delta");
        using var bridge = new SandboxBridge(_sfcc, _omneo);
        await bridge.RunDeltaAsync();
        _sfcc.Update(gus.CustomerNo, c => c.FirstName = "Gustav");
        var profile = _omneo.All().Single(p => Identities(p).Contains(gus.CustomerNo));
        profile.FirstName = "Augustus";
        profile.UpdatedAt = DateTimeOffset.UtcNow.AddMinutes(1);

        await bridge.RunDeltaAsync();

        Assert.Equal("Augustus", _omneo.Find(profile.Id)!.FirstName);
        Assert.Equal("Augustus", _sfcc.FindByNumber(gus.CustomerNo)!.FirstName);
        var conflict = Assert.Single(await Conflicts(bridge));
        Assert.Equal((gus.CustomerNo, "first_name", "omneo", "newer"), (conflict.CustomerNo, conflict.Field, conflict.Winner, conflict.Rule));
    }

    [Fact]
    public async Task Delta_OmneoChangedTheEmailAndNoWebhookCame_SfccKeepsItsEmailAndOmneoGetsItBack()
    {
        var jo = _sfcc.AddCustomer("jo.d@example.com", "pw", "Jo", "Delta");
        using var bridge = new SandboxBridge(_sfcc, _omneo);
        await bridge.RunDeltaAsync();
        var profile = _omneo.All().Single(p => Identities(p).Contains(jo.CustomerNo));
        profile.Email = "mallory@evil.example";
        profile.UpdatedAt = DateTimeOffset.UtcNow.AddMinutes(1);
        _sfcc.Update(jo.CustomerNo, c => c.FirstName = "Joanna");

        await bridge.RunDeltaAsync();

        Assert.Equal(("jo.d@example.com", "Joanna"), (_sfcc.FindByNumber(jo.CustomerNo)!.Email, _sfcc.FindByNumber(jo.CustomerNo)!.FirstName));
        Assert.Equal(("jo.d@example.com", "Joanna"), (_omneo.Find(profile.Id)!.Email, _omneo.Find(profile.Id)!.FirstName));
        var conflict = Assert.Single(await Conflicts(bridge));
        Assert.Equal((jo.CustomerNo, "email", "sfcc", "owner"), (conflict.CustomerNo, conflict.Field, conflict.Winner, conflict.Rule));
    }

    [Fact]
    public async Task FirstSync_OmneoEditedAfterTheSfccCustomerChanged_KeepsTheOmneoEditInsteadOfOverwritingIt()
    {
        var hal = _sfcc.AddCustomer("hal.d@example.com", "pw", "Hal", "Delta");
        _sfcc.FindByNumber(hal.CustomerNo)!.LastModified = DateTimeOffset.UtcNow.AddMinutes(-10);
        var profile = _omneo.AddProfile("hal.d@example.com", "Harold", "Delta", hal.CustomerNo);
        profile.UpdatedAt = DateTimeOffset.UtcNow;
        using var bridge = new SandboxBridge(_sfcc, _omneo);

        var status = await bridge.RunDeltaAsync();

        Assert.Equal("Harold", _omneo.Find(profile.Id)!.FirstName);
        Assert.Equal("Harold", _sfcc.FindByNumber(hal.CustomerNo)!.FirstName);
        Assert.Equal(1, status.GetProperty("last_runs")[0].GetProperty("written").GetInt32());
    }

    [Fact]
    public async Task FirstSync_SfccChangedAfterTheOmneoProfile_WritesTheSfccValuesToOmneo()
    {
        var ivy = _sfcc.AddCustomer("ivy.d@example.com", "pw", "Ivy", "Delta");
        var profile = _omneo.AddProfile("ivy.d@example.com", "Ivy-Old", "Delta", ivy.CustomerNo);
        profile.UpdatedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        using var bridge = new SandboxBridge(_sfcc, _omneo);

        await bridge.RunDeltaAsync();

        Assert.Equal("Ivy", _omneo.Find(profile.Id)!.FirstName);
        Assert.Equal("Ivy", _sfcc.FindByNumber(ivy.CustomerNo)!.FirstName);
    }

    private static Task<IReadOnlyList<SyncConflict>> Conflicts(SandboxBridge bridge) =>
        bridge.Bridge.Services.GetRequiredService<SyncStore>().RecentConflictsAsync(SandboxSfcc.CustomerList, 50, CancellationToken.None);

    [Fact]
    public async Task Delta_StoredWatermark_IsReadBackLessTheOverlapInAscendingPages()
    {
        using var stubs = new UpstreamStubs();
        stubs.Reset();
        stubs.SfccSearchReturns(new { customer_no = "00000801", email = "w@example.com", last_modified = "2024-03-01T10:00:00.000Z" });
        using var bridge = new BridgeFactory(stubs, overrides: new Dictionary<string, string?> { ["Sync:DeltaOverlapSeconds"] = "90" });
        await bridge.Services.GetRequiredService<SyncStore>().SetStateAsync("delta.watermark", "2024-03-01T09:00:00.0000000+00:00", CancellationToken.None);
        await bridge.Services.GetRequiredService<CustomerLinkStore>().UpsertAsync(ListId, "00000801", null, "8801", "identity", CancellationToken.None);
        stubs.OmneoAcceptsProfileUpdates();

        var client = bridge.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/admin/sync/sfcc-to-omneo", null)).StatusCode);
        await Eventually.ReturnsAsync(() => Bodies(stubs.Omneo, "/api/v3/profiles/8801").FirstOrDefault());

        var search = JsonDocument.Parse(Assert.Single(Bodies(stubs.Sfcc, $"{Data}/customer_lists/{ListId}/customer_search"))).RootElement;
        var range = search.GetProperty("query").GetProperty("filtered_query").GetProperty("filter").GetProperty("range_filter");
        Assert.Equal(("last_modified", "2024-03-01T08:58:30.000Z"), (range.GetProperty("field").GetString(), range.GetProperty("from").GetString()));
        Assert.Equal(200, search.GetProperty("count").GetInt32());
        Assert.Equal("asc", search.GetProperty("sorts")[0].GetProperty("sort_order").GetString());
        var watermark = await Eventually.ReturnsAsync(() => bridge.Services.GetRequiredService<SyncStore>().GetStateAsync("delta.watermark", CancellationToken.None).GetAwaiter().GetResult() is { } w && w.StartsWith("2024-03-01T10", StringComparison.Ordinal) ? w : null);
        Assert.StartsWith("2024-03-01T10:00:00", watermark);
    }

    [Fact]
    public async Task Delta_SfccThrottles_RunFailsAndTheWatermarkStays()
    {
        using var stubs = new UpstreamStubs();
        stubs.Reset();
        stubs.Sfcc.Given(Request.Create().WithPath($"{Data}/customer_lists/{ListId}/customer_search").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(429).WithHeader("Retry-After", "120"));
        using var bridge = new BridgeFactory(stubs);
        await bridge.Services.GetRequiredService<SyncStore>().SetStateAsync("delta.watermark", "2024-03-01T09:00:00.0000000+00:00", CancellationToken.None);
        var client = bridge.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/admin/sync/sfcc-to-omneo", null)).StatusCode);
        var run = await Eventually.ReturnsAsync(() =>
        {
            var status = client.GetAsync("/admin/sync/status").GetAwaiter().GetResult().JsonAsync().GetAwaiter().GetResult();
            var failed = status.GetProperty("last_runs").EnumerateArray().Where(r => r.GetProperty("outcome").GetString() == "failed").ToArray();
            return failed.Length > 0 ? failed : null;
        });

        Assert.Contains("Throttled", run[0].GetProperty("detail").GetString());
        Assert.Equal("2024-03-01T09:00:00.0000000+00:00", await bridge.Services.GetRequiredService<SyncStore>().GetStateAsync("delta.watermark", CancellationToken.None));
    }

    [Fact]
    public async Task Delta_SfccThrottlesWithRetryAfter_TheJobIsRescheduledAfterThatWaitNotHangfiresBackOff()
    {
        using var stubs = new UpstreamStubs();
        stubs.Reset();
        stubs.Sfcc.Given(Request.Create().WithPath($"{Data}/customer_lists/{ListId}/customer_search").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(429).WithHeader("Retry-After", "600"));
        using var bridge = new BridgeFactory(stubs);
        var client = bridge.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", BridgeFactory.AdminKey);

        var started = await (await client.PostAsync("/admin/sync/sfcc-to-omneo", null)).JsonAsync();
        var jobId = started.GetProperty("job_id").GetString()!;
        using var connection = bridge.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var state = await Eventually.ReturnsAsync(() => connection.GetStateData(jobId) is { Name: "Scheduled" } s ? s : null);

        var enqueueAt = Hangfire.Common.JobHelper.DeserializeDateTime(state.Data["EnqueueAt"]);
        Assert.InRange(enqueueAt - DateTime.UtcNow, TimeSpan.FromSeconds(540), TimeSpan.FromSeconds(601));
        Assert.Contains("asked to wait 600 s", state.Reason);
        Assert.Equal("1", connection.GetJobParameter(jobId, "RetryCount"));
    }

    public void Dispose()
    {
        _sfcc.Dispose();
        _omneo.Dispose();
    }
}
