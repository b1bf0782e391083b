using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator;

/// <summary>How the coordinator listens, authenticates nodes and runs leases.</summary>
public sealed class CoordinatorOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Coordinator";

    /// <summary>Identifier of this replica in logs and node welcomes; defaults to host name and process id.</summary>
    public string Id { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Address the gRPC (h2c) listener binds.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>gRPC (h2c) port for node streams; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8082;

    /// <summary>Shared secret nodes present as "authorization: Bearer {token}".</summary>
    [Required, MinLength(16)]
    public string NodeToken { get; set; } = "";

    /// <summary>How long a lease lives without a heartbeat or progress.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often nodes are told to heartbeat; keep well under <see cref="LeaseTtl"/>.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often expired leases are looked for.</summary>
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fallback poll of the queue when no signal arrives (signals are lost while Redis restarts).</summary>
    public TimeSpan DispatchPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>HTTP/1.1 port for /healthz and /metrics; 0 or less disables it (the embedded default serves metrics on the facade).</summary>
    public int MetricsPort { get; set; } = 9082;

    /// <summary>
    /// Waiting productions whose priority a metrics scrape reads (one field each, outside any script);
    /// past them, queue depths are still exact but count as priority "unknown". 0 reads none.
    /// </summary>
    [Range(0, 1_000_000)]
    public int QueueMetricsPriorityLimit { get; set; } = 10_000;
}
