using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.TextToSpeech;
using RenderFarm.Node.Rendering.Text;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>A caption as shown: its lines and when it is on screen, seconds on the output timeline.</summary>
internal sealed record CaptionCue(double Start, double End, IReadOnlyList<string> Lines)
{
    /// <summary>The cue's text, one line a line.</summary>
    public string Text => string.Join('\n', Lines);
}

/// <summary>
/// The words of a render and its captions as the viewer sees them: every spoken (speech) and
/// captioned (explicit captions) word, and the cues, which are the phrases the captions segments
/// burn in (the same grouping and times as <see cref="CaptionDrawing"/>). A canvas without a
/// captions segment gets its speech grouped the way default captions would show it.
/// </summary>
internal sealed record CaptionTrack(IReadOnlyList<SpokenWord> Words, IReadOnlyList<CaptionCue> Cues)
{
    public static CaptionTrack Of(CanvasFrame frame, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media, RenderFonts fonts)
    {
        var spoken = Clean(CaptionDrawing.WordsOf(new Captions { Source = Captions.Types.Source.Speech }, timeline, media), 0, timeline.Duration);
        var captions = timeline.Segments.Where(s => s.Duration > 0 && s.Segment.KindCase == Segment.KindOneofCase.Captions).ToList();
        var captioned = captions
            .Where(s => s.Segment.Captions.Source == Captions.Types.Source.Explicit)
            .SelectMany(s => Clean(CaptionDrawing.WordsOf(s.Segment.Captions, timeline, media), s.Start, Math.Min(s.End, timeline.Duration)));
        var words = spoken.Concat(captioned).Distinct().OrderBy(w => w.Start).ThenBy(w => w.End).ToList();

        var phrases = captions.Count > 0
            ? captions.SelectMany(s => CaptionDrawing.PhrasesOf(frame, timeline, s, media, fonts))
            : CaptionDrawing.PhrasesIn(frame, spoken, fonts.Default, CaptionDrawing.DefaultSize);
        var cues = phrases
            .Select(p => new CaptionCue(p[0][0].Start, p.SelectMany(l => l).Max(w => w.End), [.. p.Select(l => string.Join(' ', l.Select(w => OneLine(w.Text))))]))
            .OrderBy(c => c.Start)
            .ToList();
        return new CaptionTrack(words, cues);
    }

    // A line break inside a word would end a cue early in SRT and WebVTT: it shows as a space.
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    // Words cut to [from, to], trimmed, the empty and unseen dropped, in order of start.
    private static List<SpokenWord> Clean(IEnumerable<SpokenWord> words, double from, double to) => [.. words
        .Select(w => w with { Start = Math.Max(w.Start, from), End = Math.Min(w.End, to), Text = w.Text.Trim() })
        .Where(w => w.End > w.Start && w.Text.Length > 0)
        .OrderBy(w => w.Start)];
}
