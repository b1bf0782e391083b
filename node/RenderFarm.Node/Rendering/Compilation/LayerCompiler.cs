using System.Text;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Text;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// Draws every layer over the base track in z order (zIndex, then canvas order), each only for its
/// frames. A layer that neither moves nor turns is scaled once to its whole-pixel box and overlaid
/// at its whole-pixel corner. Any other is placed by a perspective transform on a small transparent
/// canvas around the box, evaluated per frame: the box's sub-pixel position, size and rotation are
/// resampled bilinearly (on premultiplied alpha, so edges do not darken), and the canvas is
/// overlaid at an even pixel (yuv420 overlays snap to even), the remainder moved inside it.
/// Opacity that changes is set per frame through sendcmd on colorchannelmixer.
/// </summary>
internal static class LayerCompiler
{
    // Room around the box on the canvas: the even-pixel remainder (< 2) plus a transparent edge.
    private const int Margin = 3;

    public static string Compile(GraphBuilder g, CanvasFrame frame, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media,
        string baseLabel, RenderFonts fonts, List<ClipAudio> clipAudio)
    {
        var fps = frame.Fps;
        long Frames(double seconds) => (long)Math.Ceiling(seconds * fps - 1e-6);
        var total = Math.Max(1, Frames(timeline.Duration));
        var label = baseLabel;
        var layers = timeline.Segments
            .Where(s => s.Duration > 0 && SegmentKinds.IsLayer(s.Segment))
            .OrderBy(s => s.Segment.Layer.ZIndex).ThenBy(s => s.Index);
        foreach (var l in layers)
        {
            var first = Frames(l.Start);
            var count = Math.Min(total, Frames(l.End)) - first;
            if (count > 0)
            {
                label = Draw(g, frame, l, first, count, media, fonts, clipAudio, label);
            }
        }
        return label;
    }

    private static string Draw(GraphBuilder g, CanvasFrame frame, TimedSegment l, long first, long count,
        IReadOnlyDictionary<int, LocalMedia> media, RenderFonts fonts, List<ClipAudio> clipAudio, string input)
    {
        var motion = LayerMotion.Of(l.Segment.Layer);
        var (w, h, fps) = (frame.Width, frame.Height, frame.Fps);
        var upright = motion.Rotation.IsConstant && motion.Rotation.Points[0].Value % 360 == 0;
        var plain = upright && !motion.Moves;
        // The picture is made once at the box's largest size; a transform scales it down from there.
        var (pw, ph) = plain
            ? (Side(motion.Width.Max * w), Side(motion.Height.Max * h))
            : ((int)Math.Ceiling(Math.Max(1, motion.Width.Max * w)), (int)Math.Ceiling(Math.Max(1, motion.Height.Max * h)));
        // A transformed CONTAIN picture keeps its source's shape, and is contained in the box per
        // frame, so a box that changes shape never stretches it.
        var fit = l.Segment.Layer.Fit;
        double? aspect = null;
        if (!plain && fit is Fit.Contain or Fit.Unspecified && media.TryGetValue(l.Index, out var m) && m is { Width: > 0, Height: > 0 }
            && l.Segment.KindCase is Segment.KindOneofCase.Image or Segment.KindOneofCase.Video)
        {
            var crop = l.Segment.Layer.Crop;
            var source = m.Width * (crop?.Width ?? 1) / (m.Height * (crop?.Height ?? 1));
            pw = Math.Max(1, (int)Math.Ceiling(Math.Min(motion.Width.Max * w, motion.Height.Max * h * source)));
            ph = Math.Max(1, (int)Math.Round(pw / source));
            (fit, aspect) = (Fit.Fill, pw / (double)ph);
        }
        var picture = LayerSource.Picture(g, frame, l, count, pw, ph, fit, media, fonts, clipAudio);

        var once = new List<string>();
        var perFrame = new List<string>();
        if (motion.Opacity.IsConstant)
        {
            if (motion.Opacity.Points[0].Value < 1)
            {
                once.Add($"colorchannelmixer=aa={Num(motion.Opacity.Points[0].Value)}");
            }
        }
        else
        {
            var target = $"colorchannelmixer@{g.NewLabel("lop")}";
            perFrame.Add($"sendcmd=f={Value(g.AddTextFile(OpacityCommands(motion.Opacity, target, first, count, fps), "cmd"))}");
            perFrame.Add($"{target}=aa={Num(motion.Opacity.Points[0].Value)}");
        }

        string x, y;
        if (plain)
        {
            var (bx, by) = ((int)Math.Round(motion.X.Points[0].Value * w), (int)Math.Round(motion.Y.Points[0].Value * h));
            // An odd corner: a transparent column or row in front, and the even corner before it.
            var (ex, ey) = (((bx % 2) + 2) % 2, ((by % 2) + 2) % 2);
            if (ex + ey > 0)
            {
                once.Add($"pad=iw+{ex}:ih+{ey}:{ex}:{ey}:color=black@0");
            }
            (x, y) = ($"{bx - ex}", $"{by - ey}");
        }
        else
        {
            var transform = new Transform(motion, frame, pw, ph, !upright, aspect);
            once.Add(transform.Prepare);
            if (motion.Moves)
            {
                perFrame.Insert(0, transform.Place($"(in-1)/{fps}"));
            }
            else
            {
                once.Add(transform.Place("0"));
            }
            // FFmpeg 5.1 counts both in (perspective) and n (overlay) from 1 when it evaluates them.
            var t = motion.Moves ? $"(n-{first + 1})/{fps}" : "0";
            (x, y) = ($"'{transform.Corner(t, vertical: false)}'", $"'{transform.Corner(t, vertical: true)}'");
        }

        var chain = new StringBuilder($"[{picture.Label}]");
        chain.Append(string.Concat(once.Select(f => f + ",")));
        chain.Append(picture.Still
            ? $"loop=loop=-1:size=1:start=0,settb=1/{fps},setpts=N+{first},trim=end_frame={count}"
            : $"setpts=PTS+{first}");
        chain.Append(string.Concat(perFrame.Select(f => "," + f)));
        var (layer, output) = (g.NewLabel("layer"), g.NewLabel("lay"));
        g.Add($"{chain}[{layer}]");
        g.Add($"[{input}][{layer}]overlay=x={x}:y={y}:format=yuv420:eof_action=pass[{output}]");
        return output;
    }

    private static int Side(double pixels) => Math.Max(1, (int)Math.Round(pixels));

    // One command per frame, half a frame early so timestamp rounding never delays it a frame.
    private static string OpacityCommands(PropertyTrack opacity, string target, long first, long count, int fps)
    {
        var sb = new StringBuilder();
        for (var k = 0; k < count; k++)
        {
            sb.Append($"{Num(Math.Max(0, (first + k - 0.5) / fps))} {target} aa {Num(opacity.At(k / (double)fps))};\n");
        }
        return sb.ToString();
    }

    /// <summary>The perspective placement of a picture of <c>pw</c>×<c>ph</c> into the layer's box.</summary>
    private sealed class Transform
    {
        private readonly LayerMotion _m;
        private readonly CanvasFrame _frame;
        private readonly int _pw, _ph, _cw, _ch;
        private readonly double? _aspect;

        public Transform(LayerMotion motion, CanvasFrame frame, int pw, int ph, bool turns, double? aspect)
        {
            (_m, _frame, _pw, _ph, _aspect) = (motion, frame, pw, ph, aspect);
            var (bw, bh) = (motion.Width.Max * frame.Width, motion.Height.Max * frame.Height);
            var (ew, eh) = turns ? (Math.Sqrt((bw * bw) + (bh * bh)), Math.Sqrt((bw * bw) + (bh * bh))) : (bw, bh);
            (_cw, _ch) = (Even((int)Math.Ceiling(ew) + (2 * Margin)), Even((int)Math.Ceiling(eh) + (2 * Margin)));
        }

        /// <summary>The picture on its canvas, alpha premultiplied (once per picture).</summary>
        public string Prepare => $"pad={_cw}:{_ch}:{Margin}:{Margin}:color=black@0,premultiply=inplace=1";

        /// <summary>The canvas placed at local time <paramref name="t"/> (an expression; "0" for a still placement), alpha straight again.</summary>
        public string Place(string t)
        {
            var corners = new StringBuilder();
            var i = 0;
            foreach (var (u, v) in ((int, int)[])[(0, 0), (_cw, 0), (0, _ch), (_cw, _ch)])
            {
                corners.Append($"x{i}='{Map(t, u, v, vertical: false)}':y{i}='{Map(t, u, v, vertical: true)}':");
                i++;
            }
            var eval = t == "0" ? "init" : "frame";
            return $"perspective={corners}sense=destination:interpolation=linear:eval={eval},unpremultiply=inplace=1";
        }

        /// <summary>The canvas's even overlay corner at local time <paramref name="t"/>.</summary>
        public string Corner(string t, bool vertical)
        {
            var half = (vertical ? _ch : _cw) / 2;
            return $"2*floor(({Centre(t, vertical)}-{half})/2)";
        }

        private string Centre(string t, bool vertical)
        {
            var (pos, side, frameSide) = vertical ? (_m.Y, _m.Height, _frame.Height) : (_m.X, _m.Width, _frame.Width);
            return $"({frameSide}*({LayerExpressions.Of(pos, t)})+{frameSide}*({LayerExpressions.Of(side, t)})/2)";
        }

        // Where canvas point (u, v) lands: pixel centres map to pixel centres, the picture's centre
        // to the box's centre, scaled to the box and turned clockwise about it.
        private string Map(string t, int u, int v, bool vertical)
        {
            var (bw, bh) = ($"{_frame.Width}*({LayerExpressions.Of(_m.Width, t)})", $"{_frame.Height}*({LayerExpressions.Of(_m.Height, t)})");
            if (_aspect is { } ratio)
            {
                (bw, bh) = ($"min({bw},{bh}*{Num(ratio)})", $"min({bh},{bw}/{Num(ratio)})");
            }
            var lu = $"({Num(u + 0.5 - Margin - (_pw / 2.0))}*{bw}/{_pw})";
            var lv = $"({Num(v + 0.5 - Margin - (_ph / 2.0))}*{bh}/{_ph})";
            var a = $"(({LayerExpressions.Of(_m.Rotation, t)})*PI/180)";
            var centre = $"({Centre(t, vertical)}-{Corner(t, vertical)})";
            return vertical
                ? $"{centre}+{lu}*sin({a})+{lv}*cos({a})-0.5"
                : $"{centre}+{lu}*cos({a})-{lv}*sin({a})-0.5";
        }

        private static int Even(int n) => n + (n % 2);
    }
}
