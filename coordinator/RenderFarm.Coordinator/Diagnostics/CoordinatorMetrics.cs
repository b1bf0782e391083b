using Prometheus;

namespace RenderFarm.Coordinator.Diagnostics;

/// <summary>Prometheus metrics of the scheduler.</summary>
internal static class CoordinatorMetrics
{
    public static readonly Gauge ConnectedNodes = Metrics.CreateGauge("renderfarm_coordinator_connected_nodes", "Node streams held by this coordinator.");
    public static readonly Counter Dispatched = Metrics.CreateCounter("renderfarm_coordinator_assignments_total", "Productions leased to nodes.");
    public static readonly Counter Results = Metrics.CreateCounter("renderfarm_coordinator_results_total", "Node results by outcome (succeeded, failed, queued for retry, rejected).", "outcome");
    public static readonly Counter LeasesExpired = Metrics.CreateCounter("renderfarm_coordinator_leases_expired_total", "Leases that expired and were requeued or failed.");
}
