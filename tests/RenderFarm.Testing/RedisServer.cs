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

        port = port == 0 ? EmbeddedRedis.FreePort() : port;
        var dir = Directory.CreateTempSubdirectory("rf-redis-").FullName;
        var server = new RedisServer($"127.0.0.1:{port},abortConnect=false", Launch(port, dir, appendOnly), null, dir, "redis") { _appendOnly = appendOnly };
        await Wait.UntilAsync(() => Task.FromResult(Ports.IsListening(port)), TimeSpan.FromSeconds(10), "redis-server listening");
        return server;
    }

    private bool _appendOnly;

    private static Process Launch(int port, string dir, bool appendOnly)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", dir,
                     "--save", "", "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        // Drain its output so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
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
        _process = Launch(port, _directory!, _appendOnly);
        await Wait.UntilAsync(() => Task.FromResult(Ports.IsListening(port)), TimeSpan.FromSeconds(10), "redis-server listening again");
    }

    /// <summary>Kills a redis-server started here (SIGKILL), as a crash would.</summary>
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
