using Prometheus;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Diagnostics;

/// <summary>Prometheus metrics of a render node.</summary>
internal static class NodeMetrics
{
    public static readonly Gauge ActiveRenders = Metrics.CreateGauge("renderfarm_node_active_renders", "Renders running in this process.");
    public static readonly Counter Renders = Metrics.CreateCounter("renderfarm_node_renders_total", "Finished renders by outcome.", "outcome");

    public static readonly Histogram RenderDuration = Metrics.CreateHistogram("renderfarm_node_render_duration_seconds",
        "Wall time of a render job on this node, from assignment to result (fetch, compile, FFmpeg, upload), by outcome.",
        new HistogramConfiguration { LabelNames = ["outcome"], Buckets = Histogram.ExponentialBuckets(0.25, 2, 15) });

    public static readonly Histogram RealtimeFactor = Metrics.CreateHistogram("renderfarm_node_render_realtime_factor",
        "Seconds of video made per second of render wall time, by encoder (above 1: faster than real time).",
        new HistogramConfiguration { LabelNames = ["encoder"], Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128] });

    /// <summary>Records a finished job that took <paramref name="elapsed"/>; a video output adds its realtime factor.</summary>
    public static void Finished(string outcome, TimeSpan elapsed, RenderOutput? output)
    {
        Renders.WithLabels(outcome).Inc();
        RenderDuration.WithLabels(outcome).Observe(elapsed.TotalSeconds);
        var wall = output?.RenderTime?.ToTimeSpan().TotalSeconds ?? 0;
        if (output is { PreviewFrames: 0, Duration: > 0 } && wall > 0)
        {
            RealtimeFactor.WithLabels(output.Encoder.Length > 0 ? output.Encoder : "unknown").Observe(output.Duration / wall);
        }
    }
}
