using System.ComponentModel.DataAnnotations;

namespace RenderFarm.State;

/// <summary>When the coordinator splits a production into chunks rendered on several nodes at once (output.chunking AUTO).</summary>
public sealed class ChunkingOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Chunking";

    /// <summary>A video longer than this is chunked (AUTO); zero or less never chunks by itself.</summary>
    public TimeSpan MinDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Video per chunk under AUTO (rounded to whole frames; the last chunk takes the rest).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ChunkLength { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Seconds a video must exceed to be chunked under AUTO (no limit when chunking is off).</summary>
    public double MinSeconds => MinDuration > TimeSpan.Zero ? MinDuration.TotalSeconds : double.PositiveInfinity;
}
