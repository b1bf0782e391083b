using Prometheus;

namespace RenderFarm.Node.Diagnostics;

/// <summary>Prometheus metrics of a render node.</summary>
internal static class NodeMetrics
{
    public static readonly Gauge ActiveRenders = Metrics.CreateGauge("renderfarm_node_active_renders", "Renders running in this process.");
    public static readonly Counter Renders = Metrics.CreateCounter("renderfarm_node_renders_total", "Finished renders by outcome.", "outcome");
}
