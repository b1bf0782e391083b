using System.Text;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// A drawtext filter for a text overlay. The user's text never enters the graph: it is written
/// to a file we name and read with textfile=, with expansion=none so %{…} stays literal.
/// </summary>
internal static class TextDrawing
{
    private const int DefaultFontSize = 48;
    private const double DefaultMaxWidth = 0.9;

    // DejaVu Sans averages about 0.55 em per character; wrapping is by that estimate.
    private const double AverageCharWidth = 0.55;

    public static string Filter(GraphBuilder g, CanvasFrame frame, TimedSegment o, string fontFile, string window)
    {
        var t = o.Segment.Text;
        var size = t.FontSize > 0 ? t.FontSize : DefaultFontSize;
        var maxWidth = (t.HasMaxWidth ? t.MaxWidth : DefaultMaxWidth) * frame.Width;
        var file = g.AddTextFile(Wrap(t.Text, Math.Max(1, (int)(maxWidth / (size * AverageCharWidth)))));
        var color = RgbaColor.ParseOrDefault(t.Color, RgbaColor.White);
        var (x, y) = Place(frame, t);
        var sb = new StringBuilder();
        sb.Append($"drawtext=fontfile={Value(fontFile)}:textfile={Value(file)}:expansion=none:fontsize={size}");
        sb.Append($":fontcolor={color.ToFfmpeg()}:x='{x}':y='{y}':{window}");
        if (!string.IsNullOrEmpty(t.BackgroundColor))
        {
            var box = RgbaColor.ParseOrDefault(t.BackgroundColor, RgbaColor.Black);
            sb.Append($":box=1:boxcolor={box.ToFfmpeg()}:boxborderw={Math.Max(1, size / 4)}");
        }
        if (t.FadeIn > 0 || t.FadeOut > 0)
        {
            var fadeIn = t.FadeIn > 0 ? $"min(1,(t-{Num(o.Start)})/{Num(t.FadeIn)})" : "1";
            var fadeOut = t.FadeOut > 0 ? $"min(1,({Num(o.End)}-t)/{Num(t.FadeOut)})" : "1";
            sb.Append($":alpha='max(0,min({fadeIn},{fadeOut}))'");
        }
        return sb.ToString();
    }

    private static (string X, string Y) Place(CanvasFrame frame, TextOverlay t)
    {
        var margin = (int)Math.Round(0.05 * Math.Min(frame.Width, frame.Height));
        var p = t.Position;
        var x = t.HasX ? $"{(int)Math.Round(t.X * frame.Width)}" : p switch
        {
            Position.Left or Position.TopLeft or Position.BottomLeft => $"{margin}",
            Position.Right or Position.TopRight or Position.BottomRight => $"w-text_w-{margin}",
            _ => "(w-text_w)/2",
        };
        var y = t.HasY ? $"{(int)Math.Round(t.Y * frame.Height)}" : p switch
        {
            Position.Top or Position.TopLeft or Position.TopRight => $"{margin}",
            Position.Bottom or Position.BottomLeft or Position.BottomRight => $"h-text_h-{margin}",
            _ => "(h-text_h)/2",
        };
        return (x, y);
    }

    /// <summary>Greedy word wrap at <paramref name="maxChars"/>; existing line breaks are kept, CR dropped.</summary>
    internal static string Wrap(string text, int maxChars)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "").Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' '))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > maxChars)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }
                if (line.Length > 0)
                {
                    line.Append(' ');
                }
                line.Append(word);
            }
            lines.Add(line.ToString());
        }
        return string.Join('\n', lines);
    }
}
