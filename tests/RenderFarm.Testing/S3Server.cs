using System.Diagnostics;
using System.Globalization;
using RenderFarm.Embedded;

namespace RenderFarm.Testing;

/// <summary>
/// An s3rver (fake S3, npm) on loopback: the one scripts/test started, named by RENDERFARM_TEST_S3,
/// or one started here through scripts/s3rver (which installs it into .tools/ when missing). Every
/// user takes its own bucket, so suites share a server without seeing each other's objects.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    /// <summary>s3rver's built-in credentials.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>s3rver's built-in credentials.</summary>
    public const string SecretKey = "S3RVER";

    private readonly Process? _process;
    private readonly string? _directory;

    private S3Server(string endpoint, Process? process, string? directory)
    {
        Endpoint = endpoint;
        _process = process;
        _directory = directory;
    }

    /// <summary>e.g. http://127.0.0.1:4568</summary>
    public string Endpoint { get; }

    public static async Task<S3Server> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("RENDERFARM_TEST_S3") is { Length: > 0 } shared)
        {
            return new S3Server(shared.TrimEnd('/'), null, null);
        }

        var port = EmbeddedRedis.FreePort();
        var dir = Directory.CreateTempSubdirectory("rf-s3-").FullName;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(Repo.Root, "scripts", "s3rver"), "-d", dir, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("scripts/s3rver did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The first run installs s3rver from npm.
        await Wait.UntilAsync(() => Task.FromResult(Ports.IsListening(port) || process.HasExited), TimeSpan.FromMinutes(3), "s3rver listening");
        if (process.HasExited)
        {
            throw new InvalidOperationException($"scripts/s3rver exited {process.ExitCode}");
        }

        return new S3Server($"http://127.0.0.1:{port}", process, dir);
    }

    /// <summary>A new bucket name (created by the store on first use).</summary>
    public static string NewBucket() => $"rf-{Guid.NewGuid():N}"[..24];

    /// <summary>Settings that select the S3 store on this server, in <paramref name="bucket"/>.</summary>
    public Dictionary<string, string?> Settings(string bucket) => new()
    {
        ["RenderFarm:Storage:Kind"] = "S3",
        ["RenderFarm:Storage:S3:Endpoint"] = Endpoint,
        ["RenderFarm:Storage:S3:Bucket"] = bucket,
        ["RenderFarm:Storage:S3:AccessKey"] = AccessKey,
        ["RenderFarm:Storage:S3:SecretKey"] = SecretKey,
    };

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
