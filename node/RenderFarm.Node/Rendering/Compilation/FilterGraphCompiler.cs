using RenderFarm.CanvasModel;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Text;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Compiles a timed canvas into one FFmpeg filter graph.</summary>
internal static class FilterGraphCompiler
{
    /// <param name="frame">Output frame.</param>
    /// <param name="timeline">Resolved timing.</param>
    /// <param name="media">Segment index → local media (video, image, audio, synthesised speech).</param>
    /// <param name="scratchDirectory">Where side files (text) will be written.</param>
    /// <param name="fonts">Fonts for text and captions.</param>
    /// <param name="renditions">More pictures of the canvas in other frames (each with the timeline of its laid-out canvas), in the same graph.</param>
    /// <param name="gpu">The node's GPU path (videos decoded and scaled on the GPU where the graph allows), or null for the CPU alone.</param>
    /// <param name="window">
    /// Frames [From, To) of the picture alone (a chunk: its sound is rendered once for the whole
    /// video): the picture compiled starts at <see cref="CompiledRender.FrameOrigin"/>, at or before
    /// From, and ends at To, leaving out what shows only outside the window.
    /// </param>
    public static CompiledRender Compile(CanvasFrame frame, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media, string scratchDirectory, RenderFonts fonts,
        IReadOnlyList<(CanvasFrame Frame, Timeline Timeline)>? renditions = null, GpuDecoding? gpu = null, (long From, long To)? window = null)
    {
        var g = new GraphBuilder(scratchDirectory, gpu) { Window = window };
        var (videoLabel, clipAudio) = Picture(g, frame, timeline, media, fonts);
        var audioLabel = window is null ? AudioMixCompiler.Compile(g, timeline, media, clipAudio) : null;
        var pictures = new List<string>();
        foreach (var (other, otherTimeline) in renditions ?? [])
        {
            // Same sources in the same order: shared inputs, one decode. Clip sound is the main mix's.
            g.SharePicture();
            pictures.Add(Picture(g, other, otherTimeline, media, fonts).Label);
        }

        return new CompiledRender(g.DecodedInputs(), g.Script(), videoLabel, audioLabel, timeline.Duration, g.TextFiles)
        {
            RenditionLabels = pictures,
            FrameOrigin = g.FrameOrigin,
        };
    }

    // The picture of the canvas in one frame: base track, layers, overlays; and the clip sound it plays.
    private static (string Label, List<ClipAudio> ClipAudio) Picture(GraphBuilder g, CanvasFrame frame, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media, RenderFonts fonts)
    {
        var (baseLabel, clipAudio) = BaseTrackCompiler.Compile(g, frame, timeline, media);
        var layered = LayerCompiler.Compile(g, frame, timeline, media, baseLabel, fonts, clipAudio);
        return (OverlayCompiler.Compile(g, frame, timeline, media, layered, fonts), clipAudio);
    }

    /// <summary>
    /// The sound alone, for an audio-only output: the picture is compiled only to learn which
    /// clips play their sound when (the same timing as a video render), and is left out of the
    /// graph, so FFmpeg decodes and filters no frames. <c>VideoLabel</c> is empty.
    /// </summary>
    public static CompiledRender CompileAudio(CanvasFrame frame, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media, string scratchDirectory, RenderFonts fonts)
    {
        var picture = new GraphBuilder(scratchDirectory);
        var (baseLabel, clipAudio) = BaseTrackCompiler.Compile(picture, frame, timeline, media);
        LayerCompiler.Compile(picture, frame, timeline, media, baseLabel, fonts, clipAudio);
        var g = new GraphBuilder(scratchDirectory);
        var moved = new Dictionary<int, int>();
        var sounds = clipAudio
            .Select(c => c with { Input = moved.TryGetValue(c.Input, out var i) ? i : moved[c.Input] = g.AddInput(picture.Inputs[c.Input]) })
            .ToList();
        var audioLabel = AudioMixCompiler.Compile(g, timeline, media, sounds);
        return new CompiledRender(g.Inputs, g.Script(), "", audioLabel, timeline.Duration, g.TextFiles);
    }
}
