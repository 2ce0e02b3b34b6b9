namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// Waits for background work (a Hangfire job) to show its effect. It polls for the effect, not for time: the
/// deadline only bounds a broken run.
/// </summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<T?> probe, int timeoutSeconds = 30)
        where T : class
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException("The expected effect did not happen.");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>As <see cref="ReturnsAsync{T}(Func{T}, int)"/>, for a probe that reads a database or an endpoint.</summary>
    public static async Task<T> AwaitsAsync<T>(Func<Task<T?>> probe, int timeoutSeconds = 30)
        where T : class
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException("The expected effect did not happen.");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }
}
