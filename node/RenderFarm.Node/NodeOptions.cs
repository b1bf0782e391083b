using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Node;

/// <summary>How a node finds its coordinator and runs work.</summary>
public sealed class NodeOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Node";

    /// <summary>Coordinator gRPC (h2c) URL, or several separated by commas: tried in turn, moving on when one fails or shuts down.</summary>
    [Required]
    public string CoordinatorUrl { get; set; } = "http://127.0.0.1:8082";

    /// <summary>The URLs of <see cref="CoordinatorUrl"/>, in order.</summary>
    public IReadOnlyList<string> CoordinatorUrls() =>
        CoordinatorUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Node token shared with the coordinator.</summary>
    [Required, MinLength(16)]
    public string Token { get; set; } = "";

    /// <summary>Stable node id; defaults to the host name (the pod name on Kubernetes).</summary>
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>Renders run at once.</summary>
    [Range(1, 64)]
    public int Slots { get; set; } = 1;

    /// <summary>Pool labels advertised to the scheduler.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Scratch space for renders; each assignment gets a folder that is removed afterwards.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "renderfarm-node");

    /// <summary>How long running renders may finish after a drain or SIGTERM before they are cancelled.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First reconnect delay; doubles up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Least time between two progress reports of one render.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>HTTP/1.1 port for /healthz and /metrics of a standalone node; 0 or less disables it.</summary>
    public int MetricsPort { get; set; } = 9083;
}
