using System.Diagnostics;
using System.Text.RegularExpressions;
using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OmneoSfccBridge.Tests.Contract;

/// <summary>
/// The reference cartridge's own Node tests (cartridge-contract/test), run against the bridge started exactly as a
/// newcomer starts it: the built sandbox host (<c>src/OmneoSfccBridge.Sandbox</c>), on a real loopback port.
/// </summary>
public sealed class ReferenceCartridgeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ReferenceCartridge_AgainstTheSandbox_PassesItsNodeTests()
    {
        await using var bridge = new BridgeProcess(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }, bridgeDll: typeof(SandboxProgram).Assembly.Location);
        await bridge.StartAsync();

        var (exitCode, text) = await RunAsync("node", "--test test/", Path.Combine(Repository.Root, "cartridge-contract"), ("BRIDGE_URL", bridge.Url.GetLeftPart(UriPartial.Authority)));

        output.WriteLine(text);
        Assert.True(exitCode == 0, "The cartridge's Node tests failed:\n" + text);
        Assert.Matches(@"# pass [1-9][0-9]*", text);
        Assert.Contains("# fail 0", text);

        // The Node replay skips only the examples that need a failing upstream; UpstreamExampleTests replays those.
        // Every other example must have been sent to the bridge and answered as written (a skipped test is "ok ... # SKIP").
        var examples = Directory.GetFiles(Path.Combine(Repository.Root, "cartridge-contract", "examples"), "*.json").Select(Path.GetFileNameWithoutExtension).ToList();
        var needFailingUpstream = examples.Count(e => e!.StartsWith("upstream-", StringComparison.Ordinal));
        Assert.Contains($"# skipped {needFailingUpstream}\n", text);
        foreach (var example in examples.Where(e => !e!.StartsWith("upstream-", StringComparison.Ordinal)))
        {
            Assert.Matches(new Regex($@"\n\s*ok \d+ - replay_{Regex.Escape(example!)}_BridgeAnswersAsWritten\n"), text);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6)); // bounds a hung run; a busy shared machine needs minutes
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
