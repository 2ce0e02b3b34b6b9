using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Operations;

/// <summary>What a newcomer sees who starts the bridge with no configuration at all.</summary>
public sealed class StartupConfigurationTests
{
    [Fact]
    public async Task Start_NoConfiguration_PrintsEachMissingKeyOnceAndExitsWith1WithoutAStackTrace()
    {
        await using var bridge = new BridgeProcess(new Dictionary<string, string?> { ["Registration:IdempotencySecret"] = null });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.StartAsync());

        Assert.Contains("exited with 1", failure.Message, StringComparison.Ordinal);
        var output = bridge.Output;
        Assert.Equal(1, Occurrences(output, "The bridge cannot start"));
        foreach (var key in new[] { "Sfcc__InstanceUrl", "Sfcc__ClientSecret", "Omneo__BaseUrl", "Admin__ApiKey", "Registration__IdempotencySecret" })
        {
            Assert.Equal(1, Occurrences(output, "  - " + key + ":"));
        }

        Assert.Contains("dotnet run --project src/OmneoSfccBridge.Sandbox", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
