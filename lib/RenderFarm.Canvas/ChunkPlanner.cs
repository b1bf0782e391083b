using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using Mode = RenderFarm.Contracts.V1.OutputSpec.Types.Chunking.Types.Mode;

namespace RenderFarm.CanvasModel;

/// <summary>A chunk of a video: frames [Start, End).</summary>
public readonly record struct FrameRange(long Start, long End);

/// <summary>
/// Where a production's video is split into chunks rendered on several nodes at once. Only an
/// MP4 or WEBM output with nothing beside it (stills, poster, sidecars, renditions) whose length
/// the canvas fixes (no media of unknown length, no narration) is split; everything else renders
/// in one piece.
/// </summary>
public static class ChunkPlanner
{
    /// <summary>Shortest and longest FIXED chunk, seconds.</summary>
    public const double MinChunkSeconds = 1, MaxChunkSeconds = 600;

    /// <summary>
    /// The chunks of <paramref name="request"/>'s video, at least two; empty when it renders in one
    /// piece. AUTO splits a video longer than <paramref name="minDuration"/> into chunks of
    /// <paramref name="autoChunkSeconds"/>; FIXED splits into chunks of its own length.
    /// </summary>
    public static IReadOnlyList<FrameRange> Split(CreateProductionRequest request, double minDuration, double autoChunkSeconds)
    {
        var output = request.Output ?? new OutputSpec();
        var chunking = output.Chunking ?? new OutputSpec.Types.Chunking();
        if (chunking.Mode == Mode.Off || !Splittable(request))
        {
            return [];
        }

        var plan = CanvasPlanner.Plan(request.Canvas, output);
        if (plan.Approximate || request.Canvas.Segments.Any(s => s.Narration is not null))
        {
            return [];
        }

        var seconds = chunking.Mode == Mode.Fixed ? chunking.ChunkSeconds : autoChunkSeconds;
        if (chunking.Mode != Mode.Fixed && plan.Duration <= minDuration)
        {
            return [];
        }

        var fps = CanvasFrame.Of(request.Canvas).Fps;
        var frames = (long)Math.Ceiling(plan.Duration * fps - 1e-6);
        var step = Math.Max(1, (long)Math.Round(seconds * fps));
        var chunks = new List<FrameRange>();
        for (var start = 0L; start < frames; start += step)
        {
            chunks.Add(new FrameRange(start, Math.Min(frames, start + step)));
        }

        // A last chunk shorter than half a step joins the one before it.
        if (chunks.Count > 1 && chunks[^1].End - chunks[^1].Start < step / 2)
        {
            chunks[^2] = chunks[^2] with { End = chunks[^1].End };
            chunks.RemoveAt(chunks.Count - 1);
        }

        return chunks.Count > 1 ? chunks : [];
    }

    /// <summary>Whether the output can be joined from chunks at all: MP4 or WEBM with nothing beside it.</summary>
    public static bool Splittable(CreateProductionRequest request) =>
        Joinable(request.Output ?? new OutputSpec()) && request.Renditions.Count == 0;

    private static bool Joinable(OutputSpec output) =>
        output.Format is OutputSpec.Types.Format.Mp4 or OutputSpec.Types.Format.Webm or OutputSpec.Types.Format.Unspecified
        && output.StillTimes.Count == 0 && !OutputKinds.WantsPoster(output) && output.Sidecars.Count == 0;

    internal static void Validate(OutputSpec output, Violations v)
    {
        if (output.Chunking is not { } chunking)
        {
            return;
        }

        v.Enum("output.chunking.mode", chunking.Mode);
        if (chunking.Mode == Mode.Fixed)
        {
            v.Range("output.chunking.chunkSeconds", chunking.ChunkSeconds, MinChunkSeconds, MaxChunkSeconds);
        }
        else if (chunking.ChunkSeconds != 0)
        {
            v.Add("output.chunking.chunkSeconds", ErrorReasons.UnsupportedCombination, "only a FIXED chunking has a chunk length; AUTO takes the farm's.");
        }

        if (chunking.Mode == Mode.Fixed && !Joinable(output))
        {
            v.Add("output.chunking.mode", ErrorReasons.ChunkingUnsupported,
                "FIXED chunking needs an MP4 or WEBM output without stills, poster or sidecars; use AUTO or OFF.");
        }
    }
}
