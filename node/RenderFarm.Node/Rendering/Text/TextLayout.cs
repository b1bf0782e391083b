using System.Text;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering.Text;

/// <summary>One laid-out line: its text, left edge and baseline in frame pixels.</summary>
internal sealed record LaidLine(string Text, int X, int Baseline, int Width);

/// <summary>
/// A text overlay measured with its font: wrapped to its max width, placed by anchor or x/y,
/// each line aligned inside the block independently of the anchor.
/// </summary>
internal sealed record TextLayout(IReadOnlyList<LaidLine> Lines, int Left, int Top, int Width, int Height, int FontSize)
{
    /// <summary>Font size when none is given, pixels.</summary>
    public const int DefaultFontSize = 48;

    /// <summary>Wrap width when none is given, as a fraction of the frame width.</summary>
    public const double DefaultMaxWidth = 0.9;

    /// <summary>Distance of anchored text from the frame edge, as a fraction of the shorter side.</summary>
    public const double MarginFraction = 0.05;

    /// <summary>Lays out <paramref name="t"/> in <paramref name="frame"/> with <paramref name="font"/>.</summary>
    public static TextLayout Of(TextOverlay t, CanvasFrame frame, FontFace font)
    {
        var size = t.FontSize > 0 ? t.FontSize : DefaultFontSize;
        var maxWidth = Math.Max(1, (int)Math.Floor((t.HasMaxWidth ? t.MaxWidth : DefaultMaxWidth) * frame.Width));
        var lines = Wrap(Clean(t.Text), maxWidth, s => font.Measure(s, size));
        var widths = lines.Select(l => font.Measure(l, size)).ToList();
        var (ascender, descender, lineHeight) = font.Metrics(size);
        var blockWidth = widths.Max();
        var blockHeight = ascender + descender + ((lines.Count - 1) * lineHeight);

        var margin = (int)Math.Round(MarginFraction * Math.Min(frame.Width, frame.Height));
        var p = t.Position;
        var left = t.HasX ? (int)Math.Round(t.X * frame.Width) : p switch
        {
            Position.Left or Position.TopLeft or Position.BottomLeft => margin,
            Position.Right or Position.TopRight or Position.BottomRight => frame.Width - margin - blockWidth,
            _ => (frame.Width - blockWidth) / 2,
        };
        var top = t.HasY ? (int)Math.Round(t.Y * frame.Height) : p switch
        {
            Position.Top or Position.TopLeft or Position.TopRight => margin,
            Position.Bottom or Position.BottomLeft or Position.BottomRight => frame.Height - margin - blockHeight,
            _ => (frame.Height - blockHeight) / 2,
        };
        var laid = lines.Select((text, i) => new LaidLine(text, left + t.Align switch
        {
            TextOverlay.Types.Align.Left => 0,
            TextOverlay.Types.Align.Right => blockWidth - widths[i],
            _ => (blockWidth - widths[i]) / 2,
        }, top + ascender + (i * lineHeight), widths[i])).ToList();
        return new TextLayout(laid, left, top, blockWidth, blockHeight, size);
    }

    /// <summary>
    /// Greedy wrap: words join a line while it measures at most <paramref name="maxWidth"/>; a word
    /// wider than that alone is broken between characters. Given line breaks are kept.
    /// </summary>
    internal static List<string> Wrap(string text, int maxWidth, Func<string, int> measure)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' '))
            {
                var joined = line.Length == 0 ? word : $"{line} {word}";
                if (line.Length == 0 || measure(joined) <= maxWidth)
                {
                    line = joined;
                    continue;
                }
                lines.AddRange(BreakLong(line, maxWidth, measure));
                line = word;
            }
            lines.AddRange(BreakLong(line, maxWidth, measure));
        }
        return lines;
    }

    private static IEnumerable<string> BreakLong(string line, int maxWidth, Func<string, int> measure)
    {
        if (measure(line) <= maxWidth)
        {
            yield return line;
            yield break;
        }
        var part = new StringBuilder();
        foreach (var rune in line.EnumerateRunes())
        {
            var next = part.ToString() + rune.ToString();
            if (part.Length > 0 && measure(next) > maxWidth)
            {
                yield return part.ToString();
                part.Clear();
            }
            part.Append(rune.ToString());
        }
        yield return part.ToString();
    }

    // Line breaks stay; tabs and other control characters become spaces (drawtext would draw
    // them as boxes or tab stops the layout does not model).
    private static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
        {
            sb.Append(c == '\n' || !char.IsControl(c) ? c : ' ');
        }
        return sb.ToString();
    }
}
