using System.Diagnostics;
using RenderFarm.Embedded;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A second coordinator as its own OS process (the built RenderFarm.Coordinator) on the farm's Redis, so a test can kill -9 it.</summary>
internal sealed class CoordinatorProcess : ChildProcess
{
    private CoordinatorProcess(Process process, string url)
        : base(process) => Url = url;

    /// <summary>URL nodes dial.</summary>
    public string Url { get; }

    /// <summary>
    /// Starts it with the farm's Redis, key prefix, node token and storage (the farm must have been
    /// given <paramref name="signingKey"/>); it serves /metrics on <paramref name="metricsPort"/> when one is given.
    /// </summary>
    public static async Task<CoordinatorProcess> StartAsync(TestFarm farm, string signingKey, int metricsPort = 0)
    {
        var port = EmbeddedRedis.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(NodeProcess.Built("coordinator", "RenderFarm.Coordinator"));
        var env = start.Environment;
        foreach (var (key, value) in TestFarm.Settings(farm.Host.RedisConfiguration, farm.KeyPrefix, farm.DataDirectory, 0))
        {
            env[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        env["RenderFarm__Coordinator__Id"] = $"second-{port}";
        env["RenderFarm__Coordinator__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["RenderFarm__Coordinator__BindAddress"] = "127.0.0.1";
        env["RenderFarm__Coordinator__MetricsPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["RenderFarm__Coordinator__NodeToken"] = farm.Host.NodeToken;
        env["RenderFarm__Storage__Root"] = Path.Combine(farm.DataDirectory, "objects");
        env["RenderFarm__Storage__PublicBaseUrl"] = farm.Host.RestUrl;
        env["RenderFarm__Storage__SigningKey"] = signingKey;
        env["RenderFarm__Webhooks__SigningSecret"] = "second-coordinator-webhook-secret-0123456789";
        var process = Launch(start);
        var coordinator = new CoordinatorProcess(process, $"http://127.0.0.1:{port}");
        await Wait.UntilAsync(() => Task.FromResult(Ports.IsListening(port) || process.HasExited), TimeSpan.FromMinutes(1), "the second coordinator to listen");
        Assert.False(process.HasExited, "the second coordinator exited at start");
        return coordinator;
    }
}
