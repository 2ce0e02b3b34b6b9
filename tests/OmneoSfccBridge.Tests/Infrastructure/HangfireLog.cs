using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ILogProvider = Hangfire.Logging.ILogProvider;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// Hangfire's own log lines in the test process. Hangfire keeps one log provider for the whole process
/// (<see cref="Hangfire.Logging.LogProvider"/>), and its AddHangfire points it at the logger factory of the bridge configured last;
/// once that bridge stops, every other bridge fails wherever Hangfire creates a logger (job filters, enqueueing,
/// performing) with ObjectDisposedException. So every bridge in the test process is switched to this one provider,
/// over a logger factory that lives as long as the process: bridges can start and stop side by side. Lines from every
/// bridge's Hangfire land in <see cref="Logs"/> (each bridge's own lines stay in its <see cref="BridgeFactory.Logs"/>).
/// </summary>
public static class HangfireLog
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
            if (Environment.GetEnvironmentVariable("BRIDGE_TEST_CONSOLE_LOGS") == "1")
            {
                logging.AddSimpleConsole();
            }
        })
        .BuildServiceProvider();

    private static readonly ILogProvider Provider = new AspNetCoreLogProvider(Services.GetRequiredService<ILoggerFactory>());

    /// <summary>Hangfire's lines from every bridge of the test process.</summary>
    public static FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    /// <summary>
    /// Makes the bridge's Hangfire configuration (run once, when the bridge starts) end on the process-wide provider.
    /// Until then the provider briefly points at the starting bridge, which is alive meanwhile.
    /// </summary>
    public static void KeepProcessWide(IServiceCollection services)
    {
        var registration = services.Single(s => s.ServiceType == typeof(IGlobalConfiguration));
        var configure = registration.ImplementationFactory!;
        services.Remove(registration);
        services.AddSingleton<IGlobalConfiguration>(sp =>
        {
            var configuration = (IGlobalConfiguration)configure(sp);
            configuration.UseLogProvider(Provider);
            return configuration;
        });
    }
}
