using BenchmarkDotNet.Running;

namespace OmneoSfccBridge.Benchmarks;

/// <summary>Not a top-level Program: that name is the bridge's own, which WebApplicationFactory starts.</summary>
public static class BenchmarkEntry
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
}
