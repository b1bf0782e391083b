using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering;

/// <summary>
/// The frames a render keeps as images (output.stillTimes and the poster), each once: FFmpeg
/// selects them from the graph's picture into numbered files, in frame order.
/// </summary>
/// <param name="Frames">Distinct frame numbers, ascending: the n-th is written as file n.</param>
/// <param name="Stills">Each still time with its frame, in the order of output.stillTimes.</param>
/// <param name="Poster">The poster's frame, or null when there is no poster.</param>
/// <param name="Fps">Frames per second of the output.</param>
internal sealed record FrameGrabs(IReadOnlyList<long> Frames, IReadOnlyList<(double Time, long Frame)> Stills, long? Poster, int Fps)
{
    /// <summary>The frames <paramref name="output"/> asks for, in a video of <paramref name="duration"/> seconds.</summary>
    public static FrameGrabs For(OutputSpec output, double duration, int fps)
    {
        var stills = output.StillTimes.Select(t => (t, OutputTiming.FrameAt(t, duration, fps).Frame)).ToList();
        long? poster = OutputKinds.WantsPoster(output)
            ? OutputTiming.FrameAt(output.HasPosterTime ? output.PosterTime : Math.Min(1, duration / 2), duration, fps).Frame
            : null;
        var frames = stills.Select(s => s.Frame).Concat(poster is { } p ? [p] : []).Distinct().Order().ToList();
        return new FrameGrabs(frames, stills, poster, fps);
    }

    /// <summary>The select filter that passes exactly <see cref="Frames"/>.</summary>
    public string Select => $"select='{string.Join('+', Frames.Select(f => $"eq(n\\,{f})"))}'";

    /// <summary>The image2 pattern FFmpeg writes the frames to.</summary>
    public static string Pattern(string directory, string extension) => Path.Combine(directory, $"frame-%02d.{extension}");

    /// <summary>The file holding <paramref name="frame"/>.</summary>
    public string PathOf(string directory, long frame, string extension) =>
        Path.Combine(directory, $"frame-{IndexOf(frame) + 1:00}.{extension}");

    private int IndexOf(long frame)
    {
        for (var i = 0; i < Frames.Count; i++)
        {
            if (Frames[i] == frame)
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(frame));
    }

    /// <summary>The stills as files, with the time of the frame each shows.</summary>
    public IReadOnlyList<RenderedStill> StillFiles(string directory, string extension, string contentType) =>
        [.. Stills.Select(s => new RenderedStill(s.Time, s.Frame / (double)Fps, PathOf(directory, s.Frame, extension), contentType))];
}
