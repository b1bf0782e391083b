using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>
/// Whether text overlays fit their frame, by the renderer's own wrapping estimate (DejaVu Sans
/// averages about 0.55 em per character, lines 1.2 em): a word wider than the wrap width or more
/// lines than the frame holds is cut off when rendered, which the plan reports as TEXT_TRUNCATED.
/// </summary>
public static class TextFit
{
    private const double AverageCharWidth = 0.55;
    private const double LineHeight = 1.2;
    private const int DefaultFontSize = 48;
    private const double DefaultMaxWidth = 0.9;

    /// <summary>A TEXT_TRUNCATED warning per text overlay that will not fit.</summary>
    public static IEnumerable<PlanWarning> Check(Contracts.V1.Canvas canvas)
    {
        var frame = CanvasFrame.Of(canvas);
        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            // A text layer is laid out in its own box, not the frame.
            if (canvas.Segments[i].KindCase != Segment.KindOneofCase.Text || canvas.Segments[i].Layer is not null)
            {
                continue;
            }

            var t = canvas.Segments[i].Text;
            var size = t.FontSize > 0 ? t.FontSize : DefaultFontSize;
            var maxChars = Math.Max(1, (int)((t.HasMaxWidth ? t.MaxWidth : DefaultMaxWidth) * frame.Width / (size * AverageCharWidth)));
            var words = t.Text.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var longest = words.Length == 0 ? 0 : words.Max(w => w.Length);
            var lines = Lines(t.Text, maxChars);
            var top = t.HasY ? t.Y * frame.Height : 0;
            var room = (int)((frame.Height - top) / (size * LineHeight));
            var path = $"canvas.segments[{i}].text.text";
            if (longest > maxChars)
            {
                yield return new PlanWarning(PlanWarnings.TextTruncated, path, $"a word of {longest} characters is wider than the {maxChars} that fit a line; it is cut.");
            }
            else if (lines > room)
            {
                yield return new PlanWarning(PlanWarnings.TextTruncated, path, $"wraps to {lines} lines at font size {size}; {Math.Max(room, 0)} fit the frame.");
            }
        }
    }

    private static int Lines(string text, int maxChars)
    {
        var lines = 0;
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var length = 0;
            lines++;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (length > 0 && length + 1 + word.Length > maxChars)
                {
                    lines++;
                    length = word.Length;
                }
                else
                {
                    length += (length > 0 ? 1 : 0) + word.Length;
                }
            }
        }

        return lines;
    }
}
