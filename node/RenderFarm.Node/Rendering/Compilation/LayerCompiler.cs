using System.Text;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Text;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// Draws every layer over the base track in z order (zIndex, then canvas order), each only for its
/// frames. A layer's frames are cut into pieces by what its box does, so that per-frame work is
/// spent only where something moves:
/// <list type="bullet">
/// <item>a hold (the box the same for two frames or more) of an upright box of the picture's size is
/// drawn at whole pixels, like a layer that never moves: a still picture is converted once and
/// looped, a video's frames only padded by the odd pixel;</item>
/// <item>any other hold (a turned or resized box) is placed once by a perspective transform;</item>
/// <item>frames where the box moves are placed by a perspective transform evaluated per frame on a
/// small transparent canvas around the box: the box's sub-pixel position, size and rotation are
/// resampled bilinearly (on premultiplied alpha, so edges do not darken), and the canvas is overlaid
/// at an even pixel (yuv420 overlays snap to even), the remainder moved inside it.</item>
/// </list>
/// A still's pieces are overlaid each in its own window. A video's pieces are cut from its one
/// stream and joined again (concat, in the canvas's size), so that no piece waits on frames that
/// another holds, and overlaid once, its corner chosen per piece. Opacity that changes is set per
/// frame through sendcmd.
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
        var (w, h) = (frame.Width, frame.Height);
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
        var layer = new LayerDraw(g, frame, motion, first, count, new Transform(motion, frame, pw, ph, !upright, aspect));
        var pieces = Pieces(layer, pw, ph, aspect);
        return picture.Still ? layer.Still(picture.Label, pieces, input) : layer.Video(picture.Label, pieces, input);
    }

    private static int Side(double pixels) => Math.Max(1, (int)Math.Round(pixels));

    /// <summary>How a piece of a layer's frames is placed.</summary>
    private enum Placing
    {
        /// <summary>Held at whole pixels: the picture as made, at its box's rounded corner.</summary>
        Whole,

        /// <summary>Held, placed once by the transform of its first frame.</summary>
        Once,

        /// <summary>Moving: placed per frame by the transform.</summary>
        PerFrame,
    }

    /// <summary>Local frames [<paramref name="Start"/>, <paramref name="End"/>) of a layer, placed alike.</summary>
    /// <param name="X">Whole-pixel left edge of the picture (<see cref="Placing.Whole"/> only).</param>
    /// <param name="Y">Whole-pixel top edge of the picture (<see cref="Placing.Whole"/> only).</param>
    private sealed record Piece(long Start, long End, Placing Placing, long X = 0, long Y = 0)
    {
        public long Frames => End - Start;
    }

    // The layer's frames cut where its box starts or stops moving: runs of two frames or more with
    // the same box are holds, the frames between them one moving piece each.
    private static List<Piece> Pieces(LayerDraw layer, int pw, int ph, double? aspect)
    {
        var (m, fps, w, h) = (layer.Motion, layer.Frame.Fps, layer.Frame.Width, layer.Frame.Height);
        (double X, double Y, double W, double H, double R) Box(long k)
        {
            var t = k / (double)fps;
            return (m.X.At(t), m.Y.At(t), m.Width.At(t), m.Height.At(t), m.Rotation.At(t));
        }
        var pieces = new List<Piece>();
        long start = 0;
        while (start < layer.Count)
        {
            var box = Box(start);
            var end = start + 1;
            while (end < layer.Count && Box(end) == box)
            {
                end++;
            }
            if (end - start >= 2)
            {
                pieces.Add(Hold(start, end, box.X * w, box.Y * h, box.W * w, box.H * h, box.R));
            }
            else if (pieces.Count > 0 && pieces[^1].Placing == Placing.PerFrame)
            {
                // A moving frame joins the moving piece before it.
                pieces[^1] = pieces[^1] with { End = end };
            }
            else
            {
                pieces.Add(new Piece(start, end, Placing.PerFrame));
            }
            start = end;
        }
        return pieces;

        // A hold of an upright box whose contained picture is the picture as made is drawn at whole pixels.
        Piece Hold(long from, long to, double x, double y, double bw, double bh, double rotation)
        {
            var (cw, ch) = aspect is { } r ? (Math.Min(bw, bh * r), Math.Min(bh, bw / r)) : (bw, bh);
            return rotation % 360 == 0 && Math.Abs(cw - pw) < 1 && Math.Abs(ch - ph) < 1
                ? new Piece(from, to, Placing.Whole, (long)Math.Round(x + ((bw - pw) / 2)), (long)Math.Round(y + ((bh - ph) / 2)))
                : new Piece(from, to, Placing.Once);
        }
    }

    /// <summary>One layer being drawn: its motion, its frames (<see cref="First"/> on the canvas, <see cref="Count"/> of them) and its transform.</summary>
    private sealed class LayerDraw(GraphBuilder g, CanvasFrame frame, LayerMotion motion, long first, long count, Transform transform)
    {
        public LayerMotion Motion => motion;

        public CanvasFrame Frame => frame;

        public long Count => count;

        private int Fps => frame.Fps;

        /// <summary>
        /// A still picture: its pieces are each made once from the one frame (converted to yuva420p
        /// once where it is held; placed per frame where it moves), looped for their frames, and
        /// overlaid in turn.
        /// </summary>
        public string Still(string picture, List<Piece> pieces, string input)
        {
            var sources = Split(picture, pieces.Count, "");
            var label = input;
            for (var i = 0; i < pieces.Count; i++)
            {
                var p = pieces[i];
                var loop = $"loop=loop=-1:size=1:start=0,settb=1/{Fps},setpts=N+{first + p.Start},trim=end_frame={p.Frames}";
                // Opacity the same all through the piece is set once, on the one frame; opacity that
                // changes is set per frame, before the frames are converted to yuva420p.
                var opacity = PieceOpacity(p) is { } v ? (v < 1 ? $"colorchannelmixer=aa={Num(v)}," : "") : null;
                var changing = opacity is null ? ChangingOpacity(p.Start, p.End) : "";
                const string convert = "format=yuva420p";
                var (chain, x, y) = p.Placing switch
                {
                    Placing.Whole => (opacity is null ? $"{WholePad(p, tight: true)},{loop}{changing},{convert}" : $"{opacity}{WholePad(p, tight: true)},{convert},{loop}",
                        $"{p.X - Odd(p.X)}", $"{p.Y - Odd(p.Y)}"),
                    Placing.Once => (opacity is null
                            ? $"{transform.Prepare},{transform.Place(At(p.Start))},{loop}{changing},{convert}"
                            : $"{opacity}{transform.Prepare},{transform.Place(At(p.Start))},{convert},{loop}",
                        Corner(At(p.Start), false), Corner(At(p.Start), true)),
                    _ => ($"{opacity}{transform.Prepare},{loop},{transform.Place($"(in-1+{p.Start})/{Fps}")}{changing},{convert}", Corner(Local, false), Corner(Local, true)),
                };
                label = Overlay($"[{sources[i]}]{chain}", x, y, label);
            }
            return label;
        }

        /// <summary>
        /// A video: its pieces are cut from the one stream, placed, joined again in the canvas's
        /// size, and overlaid once, at the corner of the piece each frame belongs to.
        /// </summary>
        public string Video(string picture, List<Piece> pieces, string input)
        {
            // Opacity that changes is set per frame in RGB (colorchannelmixer), as no YUV filter takes it per frame cheaply.
            var opacity = PieceOpacity(new Piece(0, count, Placing.PerFrame)) is < 1 and { } o ? $"lutyuv=y=val:u=val:v=val:a=val*{Num(o)}+0.5," : "";
            var sources = Split(picture, pieces.Count, opacity);
            var cut = pieces.Count > 1;
            var placed = new StringBuilder();
            var (x, y) = ("", "");
            for (var i = pieces.Count - 1; i >= 0; i--)
            {
                var p = pieces[i];
                var trim = cut ? $"trim=start_frame={p.Start}:end_frame={p.End},setpts=PTS-STARTPTS," : "";
                var (chain, px, py) = p.Placing switch
                {
                    Placing.Whole => (WholePad(p, tight: !cut), $"{p.X - Odd(p.X)}", $"{p.Y - Odd(p.Y)}"),
                    Placing.Once => ($"{transform.Prepare},{transform.Place(At(p.Start))}", transform.Corner(At(p.Start), false), transform.Corner(At(p.Start), true)),
                    _ => ($"{transform.Prepare},{transform.Place($"(in-1+{p.Start})/{Fps}")}", transform.Corner(Local, false), transform.Corner(Local, true)),
                };
                var piece = g.NewLabel("lpc");
                g.Add($"[{sources[i]}]{trim}{chain}[{piece}]");
                placed.Insert(0, $"[{piece}]");
                // The last piece's corner, unless the frame is before this one's end.
                (x, y) = i == pieces.Count - 1 ? (px, py) : ($"if(lt({LocalFrame},{p.End}),{px},{x})", $"if(lt({LocalFrame},{p.End}),{py},{y})");
            }
            var join = cut ? $"concat=n={pieces.Count}:v=1:a=0,settb=1/{Fps}," : "";
            var changing = motion.Opacity.IsConstant ? "" : $",format={LayerPicture.StillFormat}{ChangingOpacity(0, count)}";
            return Overlay($"{placed}{join}setpts=PTS+{first}{changing}", Quote(x), Quote(y), input);
        }

        // The picture as is for one piece, or split into one copy per piece (after the filters all share).
        private List<string> Split(string picture, int n, string shared)
        {
            if (n == 1 && shared.Length == 0)
            {
                return [picture];
            }
            var copies = Enumerable.Range(0, n).Select(_ => g.NewLabel("lcp")).ToList();
            g.Add($"[{picture}]{shared}{(n == 1 ? "null" : $"split={n}")}{string.Concat(copies.Select(c => $"[{c}]"))}");
            return copies;
        }

        // A whole-pixel hold: the picture moved by the odd pixel of its corner onto the even one
        // (yuv420 overlays place at even pixels), in the transform's canvas when pieces are joined.
        private string WholePad(Piece p, bool tight) =>
            $"pad={(tight ? $"iw+{Odd(p.X)}" : $"{transform.CanvasWidth}")}:{(tight ? $"ih+{Odd(p.Y)}" : $"{transform.CanvasHeight}")}:{Odd(p.X)}:{Odd(p.Y)}:color=black@0";

        private static long Odd(long n) => ((n % 2) + 2) % 2;

        // Local time of frame k, as a constant (the same double the per-frame expressions compute).
        private string At(long k) => $"{k}/{Fps}";

        // FFmpeg 5.1 counts n (overlay) from 1 when it evaluates it.
        private string LocalFrame => $"(n-{first + 1})";

        private string Local => $"{LocalFrame}/{Fps}";

        private string Corner(string t, bool vertical) => Quote(transform.Corner(t, vertical));

        private static string Quote(string expression) => expression.All(char.IsAsciiDigit) ? expression : $"'{expression}'";

        private string Overlay(string chain, string x, string y, string input)
        {
            var (layer, output) = (g.NewLabel("layer"), g.NewLabel("lay"));
            g.Add($"{chain}[{layer}]");
            g.Add($"[{input}][{layer}]overlay=x={x}:y={y}:format=yuv420:eof_action=pass[{output}]");
            return output;
        }

        // The opacity of every frame of a piece, when it is the same for all; else null.
        private double? PieceOpacity(Piece p)
        {
            var o = motion.Opacity;
            var v = o.At(p.Start / (double)Fps);
            for (var k = p.Start + 1; k < p.End && !o.IsConstant; k++)
            {
                if (o.At(k / (double)Fps) != v)
                {
                    return null;
                }
            }
            return v;
        }

        // Opacity that changes, for local frames [from, to) of gbrap frames: one command per frame,
        // half a frame early so timestamp rounding never delays it a frame.
        private string ChangingOpacity(long from, long to)
        {
            var target = $"colorchannelmixer@{g.NewLabel("lop")}";
            var sb = new StringBuilder();
            for (var k = from; k < to; k++)
            {
                sb.Append($"{Num(Math.Max(0, (first + k - 0.5) / Fps))} {target} aa {Num(motion.Opacity.At(k / (double)Fps))};\n");
            }
            return $",sendcmd=f={Value(g.AddTextFile(sb.ToString(), "cmd"))},{target}=aa={Num(motion.Opacity.At(from / (double)Fps))}";
        }
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

        /// <summary>Width of the canvas the picture is placed on.</summary>
        public int CanvasWidth => _cw;

        /// <summary>Height of the canvas the picture is placed on.</summary>
        public int CanvasHeight => _ch;

        /// <summary>
        /// The canvas placed at local time <paramref name="t"/>, alpha straight again: an expression
        /// of the input frame count <c>in</c> is evaluated per frame, a constant once.
        /// </summary>
        public string Place(string t)
        {
            var corners = new StringBuilder();
            var i = 0;
            foreach (var (u, v) in ((int, int)[])[(0, 0), (_cw, 0), (0, _ch), (_cw, _ch)])
            {
                corners.Append($"x{i}='{Map(t, u, v, vertical: false)}':y{i}='{Map(t, u, v, vertical: true)}':");
                i++;
            }
            var eval = t.Contains("in", StringComparison.Ordinal) ? "frame" : "init";
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
