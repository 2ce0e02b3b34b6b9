using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// The built bridge as a child process, started as an operator starts it (<c>dotnet OmneoSfccBridge.dll</c>), its
/// settings passed as environment variables (<c>Section__Key</c>), on a free loopback port. It can be killed the hard
/// way (SIGKILL: no shutdown code runs) and started again with the same settings and working directory, so on the
/// same default SQLite file (<c>data/bridge.db</c> in the working directory). Shared with the benchmarks.
/// </summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    private const int OutputLines = 200;

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string _arguments;
    private readonly string _bridgeDll;
    private readonly Queue<string> _output = new();
    private Process? _process;

    /// <param name="settings">Configuration keys as in appsettings (<c>Sync:PageSize</c>); a null value unsets the key.</param>
    /// <param name="arguments">More command-line arguments (e.g. <c>--environment Production</c>).</param>
    /// <param name="bridgeDll">The bridge to run; by default the one built beside the caller.</param>
    public BridgeProcess(IReadOnlyDictionary<string, string?> settings, string arguments = "", string? bridgeDll = null)
    {
        _settings = settings;
        _arguments = arguments;
        _bridgeDll = bridgeDll ?? typeof(Program).Assembly.Location;
        WorkingDirectory = Directory.CreateTempSubdirectory("bridge-process-").FullName;
    }

    /// <summary>The process's working directory, kept across restarts and deleted on dispose.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Where the running process listens, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1");

    public int ProcessId => Running.Id;

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>The last lines the process wrote (stdout and stderr), for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    private Process Running => _process ?? throw new InvalidOperationException("The bridge process has not been started.");

    /// <summary>Starts the process on a free port and returns once <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (!HasExited)
        {
            throw new InvalidOperationException("The bridge process is running already.");
        }

        _process?.Dispose();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_bridgeDll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.GetDirectoryName(_bridgeDll)!);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        foreach (var argument in _arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        if (!_settings.ContainsKey("Registration:IdempotencySecret"))
        {
            // Required outside the sandbox; callers that test its absence pass null, which unsets it below.
            start.Environment["Registration__IdempotencySecret"] = "bridge-process-idempotency-secret-0123456789";
        }

        foreach (var (key, value) in _settings)
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        await WaitUntilReadyAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Kills the process with SIGKILL (no graceful shutdown, as a crash or an OOM kill) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        var process = Running;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    /// <summary>The process's peak resident set size (VmHWM in /proc/PID/status), in bytes; null where /proc is not there.</summary>
    public long? PeakResidentBytes()
    {
        var status = $"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await KillAsync();
            _process.Dispose();
        }

        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Running.HasExited)
            {
                await Running.WaitForExitAsync(CancellationToken.None); // drains what it wrote last
                throw new InvalidOperationException($"The bridge process exited with {Running.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), deadline.Token);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One probe timed out; try again.
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The bridge process was not ready within {timeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }
}
