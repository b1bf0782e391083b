using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Node;

/// <summary>How a node finds its coordinator and runs work.</summary>
public sealed class NodeOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Node";

    /// <summary>
    /// Coordinator gRPC (h2c) URL, or several separated by commas: the node dials them in turn
    /// (with the reconnect backoff) until one welcomes it, and moves on when one stops answering.
    /// </summary>
    [Required]
    public string CoordinatorUrl { get; set; } = "http://127.0.0.1:8082";

    /// <summary>The URLs in <see cref="CoordinatorUrl"/>.</summary>
    public IReadOnlyList<string> CoordinatorUrls =>
        [.. CoordinatorUrl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Whether every coordinator URL is an absolute http(s) URL.</summary>
    public bool HasValidCoordinatorUrls => CoordinatorUrls.Count > 0 &&
        CoordinatorUrls.All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");

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
