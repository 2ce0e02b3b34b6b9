namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// The bridge's clock in tests: wall-clock time plus an offset the test moves forward with <see cref="Advance"/>.
/// Unlike FakeTimeProvider, its timers and timestamps stay real, because the HTTP resilience pipeline (Polly) takes
/// its delays and timeouts from the same TimeProvider and would otherwise wait forever on a frozen clock.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
