using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// A segment's adjustments of its own picture: chroma key (video), then <c>filters</c> (brightness,
/// contrast, saturation, grayscale, blur). A keyed picture keeps its alpha for the caller to place.
/// </summary>
internal static class PictureFilters
{
    /// <summary>Whether the segment's picture comes out with transparent (keyed) parts.</summary>
    public static bool Keys(Segment s) => s.KindCase == Segment.KindOneofCase.Video && s.Video.ChromaKey is not null;

    /// <summary>Whether the segment has any adjustment of its picture (chroma key or a filter that changes it).</summary>
    public static bool Any(Segment s) => Keys(s) || Colors(s.Filters).Count > 0 || s.Filters is { Blur: > 0 };

    /// <summary>
    /// Adds the adjustments of <paramref name="s"/> to the picture at label <paramref name="input"/>
    /// and returns the adjusted picture's label (<paramref name="input"/> itself when there are none).
    /// Blur is a fraction of <paramref name="frame"/>'s height. With <paramref name="alpha"/> the
    /// picture's own transparency (a layer's) is kept through the color adjustments.
    /// </summary>
    public static string Apply(GraphBuilder g, Segment s, CanvasFrame frame, string input, bool alpha = false)
    {
        var colors = Colors(s.Filters);
        var blur = s.Filters is { Blur: > 0 } f ? $"gblur=sigma={Num(f.Blur * frame.Height)}" : null;
        if (!Keys(s) && colors.Count == 0 && blur is null)
        {
            return input;
        }
        var output = g.NewLabel("pf");
        var tail = blur is null ? "" : $",{blur}";
        var key = Keys(s) ? Key(s.Video.ChromaKey) : null;
        if (colors.Count == 0 || (key is null && !alpha))
        {
            g.Add($"[{input}]{string.Join(',', colors.Prepend(key).Append(blur).OfType<string>())}[{output}]");
            return output;
        }
        // eq and hue drop alpha: adjust the colors apart and put the alpha (the key's, or the picture's own) back.
        var (a, b, kept, adjusted) = (g.NewLabel("ka"), g.NewLabel("kb"), g.NewLabel("kal"), g.NewLabel("kc"));
        g.Add($"[{input}]{(key is null ? "" : $"{key},")}split[{a}][{b}]");
        g.Add($"[{a}]alphaextract[{kept}]");
        g.Add($"[{b}]{string.Join(',', colors)}[{adjusted}]");
        g.Add($"[{adjusted}][{kept}]alphamerge{tail}[{output}]");
        return output;
    }

    private static string Key(ChromaKey k)
    {
        var c = RgbaColor.ParseOrDefault(k.Color, new RgbaColor(0, 255, 0));
        return $"chromakey=color=0x{c.R:X2}{c.G:X2}{c.B:X2}:similarity={Num(k.HasSimilarity ? k.Similarity : 0.1)}:blend={Num(k.HasBlend ? k.Blend : 0.05)}";
    }

    private static List<string> Colors(Filters? f)
    {
        var list = new List<string>();
        if (f is null)
        {
            return list;
        }
        var eq = new List<string>();
        if (f.HasBrightness && f.Brightness != 0)
        {
            eq.Add($"brightness={Num(f.Brightness)}");
        }
        if (f.HasContrast && f.Contrast != 1)
        {
            eq.Add($"contrast={Num(f.Contrast)}");
        }
        if (f.HasSaturation && f.Saturation != 1)
        {
            eq.Add($"saturation={Num(f.Saturation)}");
        }
        if (eq.Count > 0)
        {
            list.Add($"eq={string.Join(':', eq)}");
        }
        if (f.Grayscale)
        {
            list.Add("hue=s=0");
        }
        return list;
    }
}
