using OmneoSfccBridge.Sandbox;
using OmneoSfccBridge.Tests.Infrastructure;

namespace OmneoSfccBridge.Tests.Storage;

/// <summary>
/// SQLite serves one bridge process: a second one on the same file refuses to start, which is what lets a restarted
/// bridge free the leases a killed one left (see BackfillTests' kill -9 test).
/// </summary>
public sealed class SqliteProcessLockTests : IDisposable
{
    private readonly SandboxSfcc _sfcc = new(TimeProvider.System);
    private readonly SandboxOmneo _omneo = new(TimeProvider.System);
    private readonly string _directory = Directory.CreateTempSubdirectory("bridge-sqlite-lock-").FullName;

    [Fact]
    public async Task Start_SecondProcessOnTheSameSqliteFile_RefusesToStart()
    {
        var settings = new Dictionary<string, string?>(SandboxLandscape.UpstreamSettings(_sfcc, _omneo))
        {
            ["Admin:ApiKey"] = BridgeFactory.AdminKey,
            ["Storage:Provider"] = "Sqlite",
            ["ConnectionStrings:Bridge"] = $"Data Source={Path.Combine(_directory, "bridge.db")}",
            ["Sync:DeltaIntervalMinutes"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var first = new BridgeProcess(settings);
        await using var second = new BridgeProcess(settings);
        await first.StartAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync());

        Assert.Contains("Another bridge process uses the SQLite database", refused.Message);
        Assert.False(first.HasExited);
    }

    public void Dispose()
    {
        _sfcc.Dispose();
        _omneo.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
