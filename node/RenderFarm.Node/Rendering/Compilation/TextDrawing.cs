using System.Text;
using RenderFarm.CanvasModel;
using RenderFarm.Node.Rendering.Text;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// Draws a text overlay laid out by <see cref="TextLayout"/>: an optional box behind the block,
/// then one drawtext per line at its computed position. The user's text never enters the graph:
/// each line is a file we name, read with textfile= and expansion=none, so %{…} stays literal.
/// </summary>
internal static class TextDrawing
{
    public static string Draw(GraphBuilder g, CanvasFrame frame, TimedSegment o, FontFace font, string window, string input)
    {
        var t = o.Segment.Text;
        var layout = TextLayout.Of(t, frame, font);
        var label = input;
        if (!string.IsNullOrEmpty(t.BackgroundColor))
        {
            label = Box(g, frame, o, layout, RgbaColor.ParseOrDefault(t.BackgroundColor, RgbaColor.Black), window, label);
        }
        var color = RgbaColor.ParseOrDefault(t.Color, RgbaColor.White);
        var fade = t.FadeIn > 0 || t.FadeOut > 0 ? FadeExpression(o, "t") : null;
        var draws = TextAnimations.Draws(o, layout, frame, window, fade).Select(d =>
            $"drawtext=fontfile={Value(font.Path)}:textfile={Value(g.AddTextFile(d.Text))}:expansion=none:fontsize='{d.FontSize}'"
            + $":fontcolor={color.ToFfmpeg()}:x='{d.X}':y='{d.Y}':{d.Enable}{(d.Alpha is null ? "" : $":alpha='{d.Alpha}'")}").ToList();
        if (draws.Count == 0)
        {
            return label;
        }
        var output = g.NewLabel("ov");
        g.Add($"[{label}]{string.Join(',', draws)}[{output}]");
        return output;
    }

    // Opacity 0..1 at time <paramref name="t"/> of a segment's fade-in and fade-out.
    private static string FadeExpression(TimedSegment o, string t)
    {
        var text = o.Segment.Text;
        var fadeIn = text.FadeIn > 0 ? $"min(1,({t}-{Num(o.Start)})/{Num(text.FadeIn)})" : "1";
        var fadeOut = text.FadeOut > 0 ? $"min(1,({Num(o.End)}-{t})/{Num(text.FadeOut)})" : "1";
        return $"max(0,min({fadeIn},{fadeOut}))";
    }

    // One box behind the whole block, padded by a quarter of the font size. Without fades drawbox
    // suffices; a fading box is a one-frame color layer whose alpha follows the text's fade.
    private static string Box(GraphBuilder g, CanvasFrame frame, TimedSegment o, TextLayout layout, RgbaColor color, string window, string input)
    {
        var pad = Math.Max(1, layout.FontSize / 4);
        var (x, y, w, h) = (layout.Left - pad, layout.Top - pad, layout.Width + (2 * pad), layout.Height + (2 * pad));
        var output = g.NewLabel("ov");
        var t = o.Segment.Text;
        if (t.FadeIn <= 0 && t.FadeOut <= 0)
        {
            g.Add($"[{input}]drawbox=x={x}:y={y}:w={w}:h={h}:color={color.ToFfmpeg()}:t=fill:{window}[{output}]");
            return output;
        }
        var layer = g.NewLabel("box");
        var sb = new StringBuilder();
        sb.Append($"color=c={(color with { A = 255 }).ToFfmpeg()}:s={w}x{h}:r={frame.Fps}:d={Num(1.0 / frame.Fps)},format=yuva444p,");
        sb.Append($"loop=loop=-1:size=1:start=0,settb=1/{frame.Fps},setpts=N+{(long)Math.Round(o.Start * frame.Fps)},trim=end={Num(o.End)},");
        sb.Append($"geq=lum='lum(X,Y)':cb='cb(X,Y)':cr='cr(X,Y)':a='{color.A}*{FadeExpression(o, "T")}'[{layer}]");
        g.Add(sb.ToString());
        g.Add($"[{input}][{layer}]overlay=x={x}:y={y}:eof_action=pass:format=auto[{output}]");
        return output;
    }
}
