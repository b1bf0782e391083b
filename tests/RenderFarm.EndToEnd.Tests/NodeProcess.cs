using System.Diagnostics;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A render node as its own OS process (the built RenderFarm.Node), so a test can kill -9 it.</summary>
internal sealed class NodeProcess : ChildProcess
{
    private NodeProcess(Process process, string nodeId)
        : base(process) => NodeId = nodeId;

    public string NodeId { get; }

    public static NodeProcess Start(TestFarm farm, string nodeId, IDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Built("node", "RenderFarm.Node"));
        var env = start.Environment;
        env["RenderFarm__Node__CoordinatorUrl"] = farm.Host.CoordinatorUrl;
        env["RenderFarm__Node__Token"] = farm.Host.NodeToken;
        env["RenderFarm__Node__NodeId"] = nodeId;
        env["RenderFarm__Node__MetricsPort"] = "0";
        env["RenderFarm__Node__WorkDirectory"] = Path.Combine(farm.DataDirectory, "work", nodeId);
        env["RenderFarm__Media__CacheDirectory"] = Path.Combine(farm.DataDirectory, "cache", nodeId);
        env["RenderFarm__Media__AllowedHosts__0"] = "127.0.0.1";
        env["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return new NodeProcess(Launch(start), nodeId);
    }

    /// <summary>SIGTERM, as Kubernetes sends before it stops a pod.</summary>
    public Task TerminateAsync() => Tool.RunAsync("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>Waits for the process to exit by itself.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => Process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);

    /// <summary>The built assembly of a project of the solution, e.g. ("node", "RenderFarm.Node").</summary>
    public static string Built(string folder, string project)
    {
        var dll = Path.Combine(Repo.Root, folder, project, "bin", Configuration(), "net10.0", project + ".dll");
        Assert.True(File.Exists(dll), $"build missing at {dll}");
        return dll;
    }

    private static string Configuration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}

/// <summary>FFmpeg processes whose command line mentions a production (its work folder does).</summary>
internal static class FfmpegProcesses
{
    public static int CountFor(string productionId) => Directory.EnumerateDirectories("/proc")
        .Select(d => Path.Combine(d, "cmdline"))
        .Count(path =>
        {
            try
            {
                var cmd = File.ReadAllText(path);
                return cmd.StartsWith("ffmpeg", StringComparison.Ordinal) || cmd.Contains("/ffmpeg\0", StringComparison.Ordinal)
                    ? cmd.Contains(productionId, StringComparison.Ordinal)
                    : false;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });
}
