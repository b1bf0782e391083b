using RenderFarm.Node.Media;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Where a clip's input is seeked to: its <c>trimStart</c>, but never past its last frame.</summary>
internal static class ClipSeek
{
    /// <summary>
    /// A seek past the last frame gives no frames at all, and an empty piece shortens the video
    /// (tpad has nothing to hold). Trimmed past its end, a clip holds its last frame for the
    /// segment, as it does when it is shorter than its segment. A looped clip never ends.
    /// </summary>
    public static double Of(LocalMedia clip, double trimStart, bool loop)
    {
        if (loop || clip.Duration is not { } duration)
        {
            return trimStart;
        }
        // Half a frame into the last frame's span: seeking keeps the last frame and drops the rest.
        var last = duration - (clip.Fps > 0 ? 1.5 / clip.Fps : 0.1);
        return trimStart > last ? Math.Max(0, last) : trimStart;
    }
}
