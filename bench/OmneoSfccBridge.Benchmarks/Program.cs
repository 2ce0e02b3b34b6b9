using BenchmarkDotNet.Running;

namespace OmneoSfccBridge.Benchmarks;

/// <summary>
/// <c>backfill [--customers N] [--latency MS]</c> runs the backfill load harness; anything else goes to
/// BenchmarkDotNet (e.g. <c>--filter '*Login*'</c>). Not a top-level Program: that name is the bridge's own, which
/// WebApplicationFactory starts.
/// </summary>
public static class BenchmarkEntry
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["backfill", ..])
        {
            return await BackfillBenchmark.RunAsync();
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
        return 0;
    }
}
