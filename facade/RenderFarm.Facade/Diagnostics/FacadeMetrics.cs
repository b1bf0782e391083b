using Prometheus;

namespace RenderFarm.Facade.Diagnostics;

/// <summary>Prometheus metrics of the public API.</summary>
internal static class FacadeMetrics
{
    public static readonly Counter Created = Metrics.CreateCounter("renderfarm_facade_productions_created_total", "Productions queued.");
    public static readonly Counter RateLimited = Metrics.CreateCounter("renderfarm_facade_rate_limited_total", "Requests refused with RESOURCE_EXHAUSTED/RATE_LIMITED, by the budget they exceeded (reads, writes, streams).", "budget");
    public static readonly Gauge OpenStreams = Metrics.CreateGauge("renderfarm_facade_open_streams", "Long-lived streams (SSE, WatchProduction) this facade holds open under a key's stream cap.");
    public static readonly Counter Rejected = Metrics.CreateCounter("renderfarm_facade_productions_rejected_total", "Create requests refused as invalid.");
}
