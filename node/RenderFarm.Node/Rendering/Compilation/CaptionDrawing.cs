using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Speech;
using RenderFarm.Node.Rendering.Text;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// Captions drawn by libass from an ASS script we write: the words (explicit, or timed from the
/// speech segments' synthesis) are grouped into phrases of at most two lines; a phrase shows from
/// its first word's start to its last word's end; KARAOKE colors the word being spoken.
/// </summary>
internal static class CaptionDrawing
{
    private const int DefaultFontSize = 48;
    private const int MaxLines = 2;

    // A pause longer than this ends a phrase.
    private const double PhraseGap = 1.0;

    private static readonly RgbaColor Yellow = new(255, 255, 0);

    public static string Draw(GraphBuilder g, CanvasFrame frame, Timeline timeline, TimedSegment o,
        IReadOnlyDictionary<int, LocalMedia> media, FontFace font, string input)
    {
        var c = o.Segment.Captions;
        var words = WordsOf(c, timeline, media)
            .Select(w => w with { Start = Math.Max(w.Start, o.Start), End = Math.Min(w.End, o.End), Text = w.Text.Trim() })
            .Where(w => w.End > w.Start && w.Text.Length > 0)
            .OrderBy(w => w.Start)
            .ToList();
        if (words.Count == 0)
        {
            return input;
        }
        var size = c.FontSize > 0 ? c.FontSize : DefaultFontSize;
        var margin = (int)Math.Round(TextLayout.MarginFraction * Math.Min(frame.Width, frame.Height));
        var maxWidth = frame.Width - (2 * margin);
        var script = new AssScript(frame);
        var highlight = c.Style == Captions.Types.Style.Karaoke
            ? AssScript.Fill(RgbaColor.ParseOrDefault(c.HighlightColor, Yellow))
            : null;
        var color = RgbaColor.ParseOrDefault(c.Color, RgbaColor.White);
        foreach (var phrase in Phrases(words, maxWidth, s => font.Measure(s, size)))
        {
            AddPhrase(script, phrase, highlight, AssScript.Fill(color));
        }
        var file = g.AddTextFile(script.Build(font.Family, size * font.AssSizeFactor, color, Math.Max(1, size / 20),
            AssScript.Alignment(c.Position, 2), margin, margin), "ass");
        var output = g.NewLabel("ov");
        g.Add($"[{input}]ass=filename={Value(file)}:fontsdir={Value(Path.GetDirectoryName(font.Path) ?? "/")}[{output}]");
        return output;
    }

    /// <summary>Explicit words as given; SPEECH words from every speech segment, moved to its start and cut at its end.</summary>
    internal static IEnumerable<SpokenWord> WordsOf(Captions c, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media)
    {
        if (c.Source == Captions.Types.Source.Explicit)
        {
            return c.Words.Select(w => new SpokenWord(w.Text, w.Start, w.End));
        }
        return timeline.Segments
            .Where(s => s.Duration > 0 && s.Segment.KindCase == Segment.KindOneofCase.Speech)
            .SelectMany(s => (media.GetValueOrDefault(s.Index)?.Words ?? [])
                .Select(w => new SpokenWord(w.Text, s.Start + w.Start, Math.Min(s.End, s.Start + w.End))));
    }

    /// <summary>Phrases of at most two lines, each line no wider than <paramref name="maxWidth"/>; a long pause starts a new phrase.</summary>
    internal static List<List<List<SpokenWord>>> Phrases(List<SpokenWord> words, int maxWidth, Func<string, int> measure)
    {
        var phrases = new List<List<List<SpokenWord>>>();
        List<List<SpokenWord>>? phrase = null;
        SpokenWord? previous = null;
        foreach (var w in words)
        {
            var line = phrase?[^1];
            if (phrase is null || line is null || w.Start - previous!.End > PhraseGap)
            {
                phrase = [[w]];
                phrases.Add(phrase);
            }
            else if (measure(string.Join(' ', line.Append(w).Select(x => x.Text))) <= maxWidth)
            {
                line.Add(w);
            }
            else if (phrase.Count < MaxLines)
            {
                phrase.Add([w]);
            }
            else
            {
                phrase = [[w]];
                phrases.Add(phrase);
            }
            previous = w;
        }
        return phrases;
    }

    // PLAIN: one event for the phrase. KARAOKE: the phrase's span cut at every word boundary, the
    // word being spoken in the highlight color; between words nothing is highlighted.
    private static void AddPhrase(AssScript script, List<List<SpokenWord>> phrase, string? highlight, string normal)
    {
        var all = phrase.SelectMany(l => l).ToList();
        var (start, end) = (all[0].Start, all.Max(w => w.End));
        if (highlight is null)
        {
            script.Dialogue(start, end, Text(phrase, null, highlight, normal));
            return;
        }
        var cuts = all.SelectMany(w => new[] { w.Start, w.End }).Append(start).Append(end).Where(t => t >= start && t <= end).Distinct().Order().ToList();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var mid = (cuts[i] + cuts[i + 1]) / 2;
            var current = all.LastOrDefault(w => w.Start <= mid && mid < w.End);
            script.Dialogue(cuts[i], cuts[i + 1], Text(phrase, current, highlight, normal));
        }
    }

    private static string Text(List<List<SpokenWord>> phrase, SpokenWord? current, string? highlight, string normal) =>
        string.Join(@"\N", phrase.Select(line => string.Join(' ', line.Select(w =>
            ReferenceEquals(w, current) ? $"{highlight}{AssScript.Escape(w.Text)}{normal}" : AssScript.Escape(w.Text)))));
}
