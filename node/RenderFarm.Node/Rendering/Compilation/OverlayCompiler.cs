using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Text;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Draws text, shape and caption overlays (not layers) over the base track and layers, each only inside its time window.</summary>
internal static class OverlayCompiler
{
    public static string Compile(GraphBuilder g, CanvasFrame frame, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media, string baseLabel, RenderFonts fonts)
    {
        var label = baseLabel;
        var fps = frame.Fps;
        long Frames(double seconds) => (long)Math.Ceiling(seconds * fps - 1e-6);
        foreach (var o in timeline.Segments.Where(s => s.Duration > 0 && SegmentKinds.IsOverlay(s.Segment)))
        {
            if (!g.Shows(Frames(o.Start), Frames(o.End) - Frames(o.Start)))
            {
                continue;
            }
            var window = $"enable='gte(t,{Num(o.Start)})*lt(t,{Num(o.End)})'";
            switch (o.Segment.KindCase)
            {
                case Segment.KindOneofCase.Shape when o.Segment.Shape.Kind == ShapeOverlay.Types.Kind.Ellipse:
                    label = Ellipse(g, frame, o, label);
                    break;
                case Segment.KindOneofCase.Shape:
                    label = Chain(g, label, Rectangle(frame, o.Segment.Shape, window));
                    break;
                case Segment.KindOneofCase.Text:
                    label = TextDrawing.Draw(g, frame, o, fonts.For(o.Index), window, label);
                    break;
                case Segment.KindOneofCase.Captions:
                    label = CaptionDrawing.Draw(g, frame, timeline, o, media, fonts, label);
                    break;
            }
        }
        return label;
    }

    private static string Chain(GraphBuilder g, string input, string filter)
    {
        var label = g.NewLabel("ov");
        g.Add($"[{input}]{filter}[{label}]");
        return label;
    }

    private static (int X, int Y, int W, int H) Box(CanvasFrame frame, ShapeOverlay s) => (
        (int)Math.Round(s.X * frame.Width), (int)Math.Round(s.Y * frame.Height),
        Math.Max(1, (int)Math.Round(s.Width * frame.Width)), Math.Max(1, (int)Math.Round(s.Height * frame.Height)));

    private static string Rectangle(CanvasFrame frame, ShapeOverlay s, string window)
    {
        var (x, y, w, h) = Box(frame, s);
        var color = RgbaColor.ParseOrDefault(s.Color, RgbaColor.White);
        return $"drawbox=x={x}:y={y}:w={w}:h={h}:color={color.ToFfmpeg()}:t=fill:{window}";
    }

    // drawbox has no ellipse: one frame of the fill color gets an elliptic alpha mask, is looped
    // for the shape's window and overlaid.
    private static string Ellipse(GraphBuilder g, CanvasFrame frame, TimedSegment o, string input)
    {
        var (x, y, w, h) = Box(frame, o.Segment.Shape);
        var color = RgbaColor.ParseOrDefault(o.Segment.Shape.Color, RgbaColor.White);
        var (shape, label) = (g.NewLabel("el"), g.NewLabel("ov"));
        var alpha = $"if(lte(pow((X+0.5-W/2)/(W/2),2)+pow((Y+0.5-H/2)/(H/2),2),1),{color.A},0)";
        g.Add($"color=c={(color with { A = 255 }).ToFfmpeg()}:s={w}x{h}:r={frame.Fps}:d={Num(1.0 / frame.Fps)},format=yuva444p,"
            + $"geq=lum='lum(X,Y)':cb='cb(X,Y)':cr='cr(X,Y)':a='{alpha}',"
            + $"loop=loop=-1:size=1:start=0,settb=1/{frame.Fps},setpts=N+{(long)Math.Round(o.Start * frame.Fps)},"
            + $"trim=end={Num(o.End)}[{shape}]");
        g.Add($"[{input}][{shape}]overlay=x={x}:y={y}:eof_action=pass:format=auto[{label}]");
        return label;
    }
}
