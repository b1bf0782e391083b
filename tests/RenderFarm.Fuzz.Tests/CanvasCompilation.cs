using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering;
using RenderFarm.Node.Rendering.Compilation;
using RenderFarm.TextToSpeech;
using RenderFarm.Node.Rendering.Text;

namespace RenderFarm.Fuzz.Tests;

/// <summary>What the node made of a valid canvas before FFmpeg runs.</summary>
internal sealed record Compilation(Timeline Timeline, CanvasFrame Frame, CompiledRender? Render, RenderException? Refusal);

/// <summary>
/// Compiles a canvas the way the node does (media, narrations, timing, fonts, then the one filter
/// graph), with speech and narrations stood in for by a tone and evenly spaced words so thousands
/// compile quickly.
/// </summary>
internal sealed class CanvasCompilation(FuzzMedia media, FontResolver fonts)
{
    /// <summary>Reasons a node gives for a canvas that is valid but whose media or fonts are not usable.</summary>
    public static readonly IReadOnlySet<string> MediaRefusals = new HashSet<string>
    {
        ErrorReasons.MediaFetchFailed, ErrorReasons.MediaUnsupported, ErrorReasons.FontInvalid, ErrorReasons.FontNotFound, ErrorReasons.MediaMissing,
        ErrorReasons.EmptyCanvas,
    };

    public async Task<Compilation> CompileAsync(Contracts.V1.Canvas canvas, string scratch)
    {
        var frame = CanvasFrame.Of(canvas);
        var local = new Dictionary<int, LocalMedia>();
        try
        {
            for (var i = 0; i < canvas.Segments.Count; i++)
            {
                if (await MediaOfAsync(canvas.Segments[i]) is { } m)
                {
                    local[i] = m;
                }
            }
        }
        catch (MediaException e)
        {
            return new(new Timeline([], 0, []), frame, null, new RenderException(e.Code, e.Message, e.Retryable, e));
        }
        // Narrations timed and laid out as the node does (each becomes a speech track of its scene).
        var narrations = Narrations.Narrated(canvas).ToDictionary(i => i, i => Spoken(canvas.Segments[i].Narration.Text));
        var timeline = FfmpegRenderer.Resolve(canvas, local, narrations);
        if (timeline.Duration <= 0)
        {
            return new(timeline, frame, null, new RenderException(ErrorReasons.EmptyCanvas, "nothing with a duration"));
        }
        RenderFonts renderFonts;
        try
        {
            renderFonts = await fonts.ResolveAsync(canvas, scratch, [], CancellationToken.None);
        }
        catch (RenderException e)
        {
            return new(timeline, frame, null, e);
        }
        try
        {
            return new(timeline, frame, FilterGraphCompiler.Compile(frame, timeline, local, scratch, renderFonts), null);
        }
        catch (RenderException e) when (e.Code == ErrorReasons.MediaMissing)
        {
            // Media of the wrong kind (a sound as an image): the node refuses it by name.
            return new(timeline, frame, null, e);
        }
    }

    private async Task<LocalMedia?> MediaOfAsync(Segment s) => s.KindCase switch
    {
        Segment.KindOneofCase.Video => await media.GetAsync(s.Video.Src, CancellationToken.None),
        Segment.KindOneofCase.Image => await media.GetAsync(s.Image.Src, CancellationToken.None),
        Segment.KindOneofCase.Audio => await media.GetAsync(s.Audio.Src, CancellationToken.None),
        Segment.KindOneofCase.Speech => Spoken(s.Speech.Text),
        _ => null,
    };

    // A third of a second a word, as if spoken.
    private LocalMedia Spoken(string text)
    {
        var words = text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select((w, i) => new SpokenWord(w, i / 3.0, (i + 0.8) / 3.0)).ToList();
        return new LocalMedia(media.PathOf(FuzzMedia.Tone), "wav", Math.Max(0.2, words.Count / 3.0), false, true, 0, 0, 0, 0, false, words);
    }
}
