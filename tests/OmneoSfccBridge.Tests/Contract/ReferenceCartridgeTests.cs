using System.Diagnostics;
using System.Text.RegularExpressions;
using OmneoSfccBridge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OmneoSfccBridge.Tests.Contract;

/// <summary>
/// The reference cartridge's own Node tests (cartridge-contract/test), run against the bridge started exactly as a
/// newcomer starts it: the built service with <c>--sandbox</c>, on a real loopback port.
/// </summary>
public sealed partial class ReferenceCartridgeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ReferenceCartridge_AgainstTheSandbox_PassesItsNodeTests()
    {
        await using var bridge = await SandboxProcess.StartAsync();

        var (exitCode, text) = await RunAsync("node", "--test test/", Path.Combine(Repository.Root, "cartridge-contract"), ("BRIDGE_URL", bridge.Url));

        output.WriteLine(text);
        Assert.True(exitCode == 0, "The cartridge's Node tests failed:\n" + text);
        Assert.Matches(@"# pass [1-9][0-9]*", text);
        Assert.Contains("# fail 0", text);

        // The Node replay skips only the examples that need a failing upstream; UpstreamExampleTests replays those.
        var needFailingUpstream = Directory.GetFiles(Path.Combine(Repository.Root, "cartridge-contract", "examples"), "upstream-*.json").Length;
        Assert.Contains($"# skipped {needFailingUpstream}\n", text);
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
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The built bridge in sandbox mode as a child process; its banner says where it listens.</summary>
    private sealed partial class SandboxProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _directory;

        private SandboxProcess(Process process, string directory, string url)
        {
            _process = process;
            _directory = directory;
            Url = url;
        }

        public string Url { get; }

        public static async Task<SandboxProcess> StartAsync()
        {
            var bridgeDll = typeof(Program).Assembly.Location;
            var directory = Directory.CreateTempSubdirectory("bridge-sandbox-").FullName;
            var start = new ProcessStartInfo("dotnet", $"\"{bridgeDll}\" --sandbox --urls http://127.0.0.1:0")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(start)!;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (BridgeLine().Match(line) is { Success: true } match)
                {
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                    return new SandboxProcess(process, directory, match.Groups["url"].Value);
                }
            }

            throw new InvalidOperationException("The sandbox exited before printing its address: " + await process.StandardError.ReadToEndAsync());
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }

        [GeneratedRegex(@"^Bridge:\s+(?<url>http://\S+)")]
        private static partial Regex BridgeLine();
    }
}
