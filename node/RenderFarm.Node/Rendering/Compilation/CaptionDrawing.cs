using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.TextToSpeech;
using RenderFarm.Node.Rendering.Text;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// Captions drawn by libass from an ASS script we write: the words (explicit, or timed from the
/// speech segments' synthesis) are grouped into phrases of at most two lines; a phrase shows from
/// its first word's start to its last word's end. KARAOKE colors the word being spoken, POP shows
/// only the words spoken so far, BOX puts the word being spoken on a box. Text is one layer (style
/// Text: fill and outline); a background is a layer beneath it (style Box: libass's opaque box,
/// BorderStyle 3, around each visible word and the spaces between visible words).
/// </summary>
internal static class CaptionDrawing
{
    private const int DefaultFontSize = 48;
    private const double DefaultOutline = 3;
    private const int MaxLines = 2;

    // A pause longer than this ends a phrase.
    private const double PhraseGap = 1.0;

    private static readonly RgbaColor Yellow = new(255, 255, 0);
    private static readonly RgbaColor BoxDefault = new(0, 0, 0, 0xA0);

    public static string Draw(GraphBuilder g, CanvasFrame frame, Timeline timeline, TimedSegment o,
        IReadOnlyDictionary<int, LocalMedia> media, RenderFonts fonts, string input)
    {
        var c = o.Segment.Captions;
        var font = fonts.For(o.Index);
        var phrases = PhrasesOf(frame, timeline, o, media, fonts);
        if (phrases.Count == 0)
        {
            return input;
        }
        var size = c.FontSize > 0 ? c.FontSize : DefaultFontSize;
        var (text, box) = Styles(c, font, size, Margin(frame));
        var script = new AssScript(frame);
        var highlight = c.Style == Captions.Types.Style.Karaoke ? AssScript.Fill(RgbaColor.ParseOrDefault(c.HighlightColor, Yellow)) : null;
        foreach (var phrase in phrases)
        {
            AddPhrase(script, phrase, c.Style, highlight, box is not null);
        }
        var file = g.AddTextFile(script.Build(box is null ? [text] : [text, box]), "ass");
        var output = g.NewLabel("ov");
        g.Add($"[{input}]ass=filename={Value(file)}:fontsdir={Value(fonts.FolderOf(font))}[{output}]");
        return output;
    }

    /// <summary>
    /// The phrases the captions segment <paramref name="o"/> shows, each a list of lines of words
    /// on the output timeline: what <see cref="Draw"/> burns in and the captions sidecars list.
    /// </summary>
    internal static List<List<List<SpokenWord>>> PhrasesOf(CanvasFrame frame, Timeline timeline, TimedSegment o,
        IReadOnlyDictionary<int, LocalMedia> media, RenderFonts fonts)
    {
        var c = o.Segment.Captions;
        var words = WordsOf(c, timeline, media)
            .Select(w => w with { Start = Math.Max(w.Start, o.Start), End = Math.Min(w.End, o.End), Text = w.Text.Trim() })
            .Where(w => w.End > w.Start && w.Text.Length > 0)
            .OrderBy(w => w.Start)
            .ToList();
        return PhrasesIn(frame, words, fonts.For(o.Index), c.FontSize > 0 ? c.FontSize : DefaultFontSize);
    }

    /// <summary><paramref name="words"/> (in order of start) as phrases of lines that fit the frame in <paramref name="font"/> at <paramref name="size"/>.</summary>
    internal static List<List<List<SpokenWord>>> PhrasesIn(CanvasFrame frame, List<SpokenWord> words, FontFace font, int size) =>
        Phrases(words, frame.Width - (2 * Margin(frame)), s => font.Measure(s, size));

    /// <summary>The caption font size when a captions segment gives none.</summary>
    internal static int DefaultSize => DefaultFontSize;

    private static int Margin(CanvasFrame frame) => (int)Math.Round(TextLayout.MarginFraction * Math.Min(frame.Width, frame.Height));

    /// <summary>
    /// The Text style (fill, outline) and, when the captions have a background, the Box style: the
    /// same font and place, no fill, an opaque box padded past the outline. libass picks the font
    /// by the family inside its file, which a canvas font's alias need not be.
    /// </summary>
    internal static (AssStyle Text, AssStyle? Box) Styles(Captions c, FontFace font, int size, int margin)
    {
        var outline = c.HasOutlineWidth ? c.OutlineWidth : DefaultOutline;
        var text = new AssStyle("Text", font.Family, size * font.AssSizeFactor, font.Bold, font.Italic,
            RgbaColor.ParseOrDefault(c.Color, RgbaColor.White), RgbaColor.ParseOrDefault(c.OutlineColor, RgbaColor.Black),
            1, outline, AssScript.Alignment(c.Position, 2), margin, margin);
        var background = c.BackgroundColor.Length > 0 || c.Style == Captions.Types.Style.Box
            ? RgbaColor.ParseOrDefault(c.BackgroundColor, BoxDefault)
            : (RgbaColor?)null;
        var box = background is { } b
            ? text with { Name = "Box", Color = b with { A = 0 }, OutlineColor = b, BorderStyle = 3, Outline = Math.Max(outline + 1, Math.Round(size * 0.15)) }
            : null;
        return (text, box);
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

    // PLAIN: one event for the phrase. The other styles cut the phrase's span at every word
    // boundary, each piece showing the phrase as it is while the word at its middle is spoken.
    private static void AddPhrase(AssScript script, List<List<SpokenWord>> phrase, Captions.Types.Style style, string? highlight, bool box)
    {
        var all = phrase.SelectMany(l => l).ToList();
        var (start, end) = (all[0].Start, all.Max(w => w.End));
        var cuts = style is Captions.Types.Style.Plain or Captions.Types.Style.Unspecified
            ? [start, end]
            : all.SelectMany(w => new[] { w.Start, w.End }).Append(start).Append(end).Where(t => t >= start && t <= end).Distinct().Order().ToList();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var mid = (cuts[i] + cuts[i + 1]) / 2;
            var current = all.LastOrDefault(w => w.Start <= mid && mid < w.End);
            bool Spoken(SpokenWord w) => w.Start <= mid;
            script.Dialogue(cuts[i], cuts[i + 1], Text(phrase, w =>
                style == Captions.Types.Style.Pop && !Spoken(w) ? null
                : ReferenceEquals(w, current) && highlight is not null ? highlight
                : ""), "Text", 1);
            if (box && (style != Captions.Types.Style.Box || current is not null))
            {
                script.Dialogue(cuts[i], cuts[i + 1], Text(phrase, w =>
                    style == Captions.Types.Style.Box ? (ReferenceEquals(w, current) ? "" : null)
                    : style == Captions.Types.Style.Pop && !Spoken(w) ? null
                    : ""), "Box", 0);
            }
        }
    }

    // The phrase as ASS: each word and each space starts from its style (\r) plus its own tags;
    // tags null hide a word, and a space shows only between two shown words.
    private static string Text(List<List<SpokenWord>> phrase, Func<SpokenWord, string?> tags) =>
        string.Join(@"\N", phrase.Select(line => string.Concat(line.Select((w, i) =>
            (i == 0 ? "" : $@"{{\r{(tags(line[i - 1]) is null || tags(w) is null ? AssScript.Hidden : "")}}} ")
            + $@"{{\r{tags(w) ?? AssScript.Hidden}}}{AssScript.Escape(w.Text)}"))));
}
