using System.Diagnostics;
using System.Globalization;
using RenderFarm.Embedded;

namespace RenderFarm.Testing;

/// <summary>
/// A real Redis-compatible server for a test run: redis-server (the one scripts/test started, named
/// by RENDERFARM_TEST_REDIS, or one started here) or an in-process Garnet. Every user gets its own
/// key prefix, so suites share a server without seeing each other's keys.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;
    private readonly EmbeddedRedis? _garnet;
    private readonly string? _directory;

    private RedisServer(string configuration, Process? process, EmbeddedRedis? garnet, string? directory, string kind)
    {
        Configuration = configuration;
        _process = process;
        _garnet = garnet;
        _directory = directory;
        Kind = kind;
    }

    /// <summary>StackExchange.Redis configuration string.</summary>
    public string Configuration { get; }

    /// <summary>"redis" or "garnet".</summary>
    public string Kind { get; }

    /// <summary>The redis-server named by RENDERFARM_TEST_REDIS, else a new one on a free loopback port.</summary>
    public static async Task<RedisServer> StartRedisAsync(bool appendOnly = false, int port = 0)
    {
        if (!appendOnly && port == 0 && Environment.GetEnvironmentVariable("RENDERFARM_TEST_REDIS") is { Length: > 0 } shared)
        {
            return new RedisServer($"{shared},abortConnect=false", null, null, null, "redis");
        }

        var dir = Directory.CreateTempSubdirectory("rf-redis-").FullName;
        // A port picked free can be taken by another process before redis-server binds it; then
        // this server exits and, worse, the port answers for someone else. So wait for this
        // process's own "ready" line, and pick again when it exits instead.
        for (var attempt = 1; ; attempt++)
        {
            var chosen = port == 0 ? EmbeddedRedis.FreePort() : port;
            var process = await LaunchAsync(chosen, dir, appendOnly);
            if (process is not null)
            {
                return new RedisServer($"127.0.0.1:{chosen},abortConnect=false", process, null, dir, "redis") { _appendOnly = appendOnly };
            }

            if (port != 0 || attempt == 5)
            {
                throw new InvalidOperationException($"redis-server did not start on port {chosen}");
            }
        }
    }

    private bool _appendOnly;

    /// <summary>Starts redis-server and waits until it accepts connections; null when it exited first.</summary>
    private static async Task<Process?> LaunchAsync(int port, string dir, bool appendOnly)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", dir,
                     "--save", "", "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always" })
        {
            start.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        // Drain its output so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult(true);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => ready.TrySetResult(false);
        if (!process.Start())
        {
            throw new InvalidOperationException("redis-server did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));
        if (started && !process.HasExited)
        {
            return process;
        }

        process.Dispose();
        return null;
    }

    /// <summary>An in-process Garnet server.</summary>
    public static RedisServer StartGarnet()
    {
        var garnet = EmbeddedRedis.Start(0, null);
        return new RedisServer(garnet.Configuration, null, garnet, null, "garnet");
    }

    /// <summary>Starts a redis-server started here again, on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        Kill();
        var port = int.Parse(Configuration.Split(',')[0].Split(':')[1], CultureInfo.InvariantCulture);
        _process = await LaunchAsync(port, _directory!, _appendOnly)
            ?? throw new InvalidOperationException($"redis-server did not start again on port {port}");
    }

    /// <summary>Kills a redis-server started here (SIGKILL), as a crash would.</summary>
    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing answers, as a hung server does.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("only a redis-server process can be paused");
        using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_garnet is not null)
        {
            await _garnet.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
