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

    // Pixels a frame from which a move is drawn at whole pixels.
    private const double FastStep = 2;

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
            if (count > 0 && g.Shows(first, count))
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
        // frame, so a box that changes shape never stretches it. A smart zoom fills the box.
        var fit = l.Segment.Layer.Fit;
        double? aspect = null;
        if (!plain && fit is Fit.Contain or Fit.Unspecified && media.TryGetValue(l.Index, out var m) && m is { Width: > 0, Height: > 0 }
            && (l.Segment.KindCase is Segment.KindOneofCase.Video || (l.Segment.KindCase is Segment.KindOneofCase.Image && l.Segment.Image.KenBurns is null)))
        {
            var crop = l.Segment.Layer.Crop;
            var source = m.Width * (crop?.Width ?? 1) / (m.Height * (crop?.Height ?? 1));
            pw = Math.Max(1, (int)Math.Ceiling(Math.Min(motion.Width.Max * w, motion.Height.Max * h * source)));
            ph = Math.Max(1, (int)Math.Round(pw / source));
            (fit, aspect) = (Fit.Fill, pw / (double)ph);
        }
        // A window (a chunk) that starts after the layer does: a clip is seeked to it.
        var lead = g.Window is { } window ? Math.Clamp(window.From - first, 0, count - 1) : 0;
        var picture = LayerSource.Picture(g, frame, l, count, pw, ph, fit, media, fonts, clipAudio, inset: upright, lead);
        var inset = picture.Inset ?? new PictureInset(0, 0, pw, ph);
        var layer = new LayerDraw(g, frame, motion, first, count, new Transform(motion, frame, pw, ph, inset, !upright, aspect));
        var pieces = Pieces(layer, pw, ph, inset, aspect);
        return picture.Still ? layer.Still(picture.Label, pieces, input) : layer.Video(picture.Label, pieces, input, picture.Lead);
    }

    private static int Side(double pixels) => Math.Max(1, (int)Math.Round(pixels));

    /// <summary>How a piece of a layer's frames is placed.</summary>
    private enum Placing
    {
        /// <summary>Held at whole pixels: the picture as made, at its box's rounded corner.</summary>
        Whole,

        /// <summary>Held, placed once by the transform of its first frame.</summary>
        Once,

        /// <summary>Moving fast (at least <see cref="FastStep"/> a frame): the picture as made, at its box's rounded corner of each frame.</summary>
        Stepped,

        /// <summary>Moving: placed per frame by the transform.</summary>
        PerFrame,
    }

    /// <summary>Local frames [<paramref name="Start"/>, <paramref name="End"/>) of a layer, placed alike.</summary>
    /// <param name="X">Whole-pixel left edge of the picture (its inset) where it does not change (<see cref="Placing.Whole"/>, <see cref="Placing.Stepped"/>).</param>
    /// <param name="Y">Whole-pixel top edge of the picture, likewise.</param>
    /// <param name="StepsX">Whether the left edge changes from frame to frame (<see cref="Placing.Stepped"/>).</param>
    /// <param name="StepsY">Whether the top edge changes from frame to frame (<see cref="Placing.Stepped"/>).</param>
    private sealed record Piece(long Start, long End, Placing Placing, long X = 0, long Y = 0, bool StepsX = false, bool StepsY = false)
    {
        public long Frames => End - Start;

        /// <summary>
        /// The ways the picture is padded by the odd pixel of its corner (yuv420 overlays place at
        /// even pixels): one for a hold; for a stepped piece, one per parity of an edge that steps.
        /// </summary>
        public IEnumerable<(long X, long Y)> Pads =>
            from x in StepsX ? [0L, 1L] : (long[])[Odd(X)]
            from y in StepsY ? [0L, 1L] : (long[])[Odd(Y)]
            select (x, y);
    }

    private static long Odd(long n) => ((n % 2) + 2) % 2;

    /// <summary>A layer's box at one frame, in pixels, and its rotation.</summary>
    private readonly record struct Box(double X, double Y, double W, double H, double R);

    // The layer's frames cut where its box starts or stops moving, or moving fast: runs of two
    // frames or more with the same box are holds; moving frames that keep the box's size and
    // shape, upright, and move at least FastStep a frame on each axis that moves (or not at all)
    // are stepped at whole pixels, as a whole-pixel step cannot be seen at that speed; the rest
    // are placed per frame at sub-pixel positions.
    private static List<Piece> Pieces(LayerDraw layer, int pw, int ph, PictureInset inset, double? aspect)
    {
        var (m, fps, w, h) = (layer.Motion, layer.Frame.Fps, layer.Frame.Width, layer.Frame.Height);
        var boxes = new Box[layer.Count];
        for (var k = 0; k < boxes.Length; k++)
        {
            var t = k / (double)fps;
            boxes[k] = new Box(m.X.At(t) * w, m.Y.At(t) * h, m.Width.At(t) * w, m.Height.At(t) * h, m.Rotation.At(t));
        }
        // The whole-pixel corner of the picture's inset, when the box shows the picture as made.
        (long X, long Y)? Corner(Box b)
        {
            var (cw, ch) = aspect is { } r ? (Math.Min(b.W, b.H * r), Math.Min(b.H, b.W / r)) : (b.W, b.H);
            return b.R % 360 == 0 && Math.Abs(cw - pw) < 1 && Math.Abs(ch - ph) < 1
                ? (Round(b.X + (b.W * (inset.X + (inset.Width / 2.0)) / pw) - (inset.Width / 2.0)),
                   Round(b.Y + (b.H * (inset.Y + (inset.Height / 2.0)) / ph) - (inset.Height / 2.0)))
                : null;
        }
        bool Fast(int k)
        {
            var neighbours = (int[])[k - 1, k + 1];
            return Corner(boxes[k]) is not null && neighbours.All(j => j < 0 || j >= boxes.Length || Steps(boxes[k], boxes[j]));
        }
        var pieces = new List<Piece>();
        var start = 0;
        while (start < boxes.Length)
        {
            var end = start + 1;
            while (end < boxes.Length && boxes[end] == boxes[start])
            {
                end++;
            }
            Piece next;
            if (end - start >= 2)
            {
                next = Corner(boxes[start]) is { } c ? new Piece(start, end, Placing.Whole, c.X, c.Y) : new Piece(start, end, Placing.Once);
            }
            else if (Fast(start))
            {
                var c = Corner(boxes[start])!.Value;
                next = new Piece(start, end, Placing.Stepped, c.X, c.Y);
            }
            else
            {
                next = new Piece(start, end, Placing.PerFrame);
            }
            // A moving frame joins the moving piece before it, if placed alike.
            if (next.Placing is Placing.Stepped or Placing.PerFrame && pieces.Count > 0 && pieces[^1].Placing == next.Placing)
            {
                var last = pieces[^1];
                next = last with
                {
                    End = end,
                    StepsX = last.StepsX || Corner(boxes[start])?.X != last.X,
                    StepsY = last.StepsY || Corner(boxes[start])?.Y != last.Y,
                };
                pieces.RemoveAt(pieces.Count - 1);
            }
            pieces.Add(next);
            start = end;
        }
        // A stepped piece of one frame is placed per frame: it has no step to hide.
        return [.. pieces.Select(p => p is { Placing: Placing.Stepped, StepsX: false, StepsY: false } ? p with { Placing = Placing.PerFrame } : p)];
    }

    // At least FastStep on each axis that moves, the size and turn unchanged.
    private static bool Steps(Box a, Box b)
    {
        var (dx, dy) = (Math.Abs(a.X - b.X), Math.Abs(a.Y - b.Y));
        return a.W == b.W && a.H == b.H && a.R == b.R && dx + dy > 0 && (dx == 0 || dx >= FastStep) && (dy == 0 || dy >= FastStep);
    }

    private static long Round(double v) => (long)Math.Round(v, MidpointRounding.AwayFromZero);

    /// <summary>One layer being drawn: its motion, its frames (<c>first</c> on the canvas, <see cref="Count"/> of them) and its transform.</summary>
    private sealed class LayerDraw(GraphBuilder g, CanvasFrame frame, LayerMotion motion, long first, long count, Transform transform)
    {
        public LayerMotion Motion => motion;

        public CanvasFrame Frame => frame;

        public long Count => count;

        private int Fps => frame.Fps;

        /// <summary>
        /// A still picture: its pieces are each made once from the one frame (converted to yuva420p
        /// once where it is held or stepped; placed per frame where it moves slowly), looped for
        /// their frames, and overlaid in turn; a stepped piece once per pad, each overlay drawing
        /// the frames whose corner has its parity.
        /// </summary>
        public string Still(string picture, List<Piece> pieces, string input)
        {
            // A window (a chunk) that starts after the layer does needs none of its frames before it:
            // each piece is made for its own frames, so those are simply left out.
            pieces = From(pieces, g.Window is { } window ? Math.Max(0, window.From - first) : 0);
            var draws = pieces.SelectMany(p => p.Placing is Placing.Whole or Placing.Stepped ? p.Pads.Select(pad => (p, pad)) : [(p, (0L, 0L))]).ToList();
            var sources = Split(picture, draws.Count, "");
            var label = input;
            for (var i = 0; i < draws.Count; i++)
            {
                var (p, pad) = draws[i];
                var loop = $"loop=loop=-1:size=1:start=0,settb=1/{Fps},setpts=N+{first + p.Start},trim=end_frame={p.Frames}";
                // Opacity the same all through the piece is set once, on the one frame; opacity that
                // changes is set per frame, before the frames are converted to yuva420p.
                var opacity = PieceOpacity(p) is { } v ? (v < 1 ? $"colorchannelmixer=aa={Num(v)}," : "") : null;
                var changing = opacity is null ? ChangingOpacity(p.Start, p.End) : "";
                const string convert = "format=yuva420p";
                string Once(string made) => opacity is null ? $"{made},{loop}{changing},{convert}" : $"{opacity}{made},{convert},{loop}";
                var (chain, x, y, enable) = p.Placing switch
                {
                    Placing.Whole or Placing.Stepped => (Once(Pad(p, pad, tight: true)), Quote(EvenCorner(p, false, Clock)), Quote(EvenCorner(p, true, Clock)), Parity(p, pad, Clock)),
                    Placing.Once => (Once($"{transform.Prepare},{transform.Place(At(p.Start))}"), Corner(At(p.Start), false), Corner(At(p.Start), true), ""),
                    _ => ($"{opacity}{transform.Prepare},{loop},{transform.Place($"(in-1+{p.Start})/{Fps}")}{changing},{convert}", Corner(Local, false), Corner(Local, true), ""),
                };
                label = Overlay($"[{sources[i]}]{chain}", x, y, label, enable);
            }
            return label;
        }

        /// <summary>
        /// A video: its pieces are cut from the one stream, placed, joined again in the canvas's
        /// size, and overlaid once, at the corner of the piece each frame belongs to. A stepped
        /// piece's frames are padded by the parity of their corner and interleaved again.
        /// </summary>
        /// <remarks>
        /// The picture may start later than the layer (<paramref name="lead"/>: a clip seeked to a
        /// window): the pieces before are left out and the rest cut from the picture's frames.
        /// </remarks>
        public string Video(string picture, List<Piece> pieces, string input, long lead)
        {
            pieces = From(pieces, lead);
            // Opacity that changes is set per frame in RGB (colorchannelmixer), as no YUV filter takes it per frame cheaply.
            var opacity = PieceOpacity(new Piece(0, count, Placing.PerFrame)) is < 1 and { } o ? $"lutyuv=y=val:u=val:v=val:a=val*{Num(o)}+0.5," : "";
            var sources = Split(picture, pieces.Count, opacity);
            var cut = pieces.Count > 1;
            var placed = new StringBuilder();
            var (x, y) = ("", "");
            for (var i = pieces.Count - 1; i >= 0; i--)
            {
                var p = pieces[i];
                var trim = cut ? $"trim=start_frame={p.Start - lead}:end_frame={p.End - lead},setpts=PTS-STARTPTS," : "";
                var piece = g.NewLabel("lpc");
                var (px, py) = p.Placing switch
                {
                    Placing.Whole or Placing.Stepped => (EvenCorner(p, false, Local), EvenCorner(p, true, Local)),
                    Placing.Once => (transform.Corner(At(p.Start), false), transform.Corner(At(p.Start), true)),
                    _ => (transform.Corner(Local, false), transform.Corner(Local, true)),
                };
                switch (p.Placing)
                {
                    case Placing.Whole:
                        g.Add($"[{sources[i]}]{trim}{Pad(p, p.Pads.Single(), tight: !cut)}[{piece}]");
                        break;
                    case Placing.Stepped:
                        // select's n counts the piece's frames from 0.
                        var pads = p.Pads.ToList();
                        var parts = pads.Select(_ => g.NewLabel("lst")).ToList();
                        g.Add($"[{sources[i]}]{trim}split={pads.Count}{string.Concat(parts.Select(s => $"[{s}]"))}");
                        var padded = pads.Select((pad, j) =>
                        {
                            var label = g.NewLabel("lst");
                            g.Add($"[{parts[j]}]select='{Parity(p, pad, $"(n+{p.Start})/{Fps}")}',{Pad(p, pad, tight: false)}[{label}]");
                            return $"[{label}]";
                        });
                        g.Add($"{string.Concat(padded)}interleave=nb_inputs={pads.Count}[{piece}]");
                        break;
                    case Placing.Once:
                        g.Add($"[{sources[i]}]{trim}{transform.Prepare},{transform.Place(At(p.Start))}[{piece}]");
                        break;
                    default:
                        g.Add($"[{sources[i]}]{trim}{transform.Prepare},{transform.Place($"(in-1+{p.Start})/{Fps}")}[{piece}]");
                        break;
                }
                placed.Insert(0, $"[{piece}]");
                // The last piece's corner, unless the frame is before this one's end.
                (x, y) = i == pieces.Count - 1 ? (px, py) : ($"if(lt({LocalFrame},{p.End}),{px},{x})", $"if(lt({LocalFrame},{p.End}),{py},{y})");
            }
            var join = cut ? $"concat=n={pieces.Count}:v=1:a=0,settb=1/{Fps}," : "";
            var changing = motion.Opacity.IsConstant ? "" : $",format={LayerPicture.StillFormat}{ChangingOpacity(0, count)}";
            return Overlay($"{placed}{join}setpts=PTS+{first + lead}{changing}", Quote(x), Quote(y), input, "");
        }

        // The pieces from local frame start on (a window's), the first cut there.
        private static List<Piece> From(List<Piece> pieces, long start) =>
            start <= 0 ? pieces : [.. pieces.Where(p => p.End > start).Select(p => p.Start < start ? p with { Start = start } : p)];

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

        // The picture moved by the odd pixel of its corner (pad) onto the even one, in a picture one
        // pixel larger where the corner steps, or in the transform's canvas when pieces are joined.
        private string Pad(Piece p, (long X, long Y) pad, bool tight)
        {
            var width = tight ? $"iw+{(p.StepsX ? 1 : pad.X)}" : $"{transform.CanvasWidth}";
            var height = tight ? $"ih+{(p.StepsY ? 1 : pad.Y)}" : $"{transform.CanvasHeight}";
            return $"pad={width}:{height}:{pad.X}:{pad.Y}:color=black@0";
        }

        // The even corner a whole-pixel piece is overlaid at, at local time t where it steps.
        private string EvenCorner(Piece p, bool vertical, string t) => (vertical ? p.StepsY : p.StepsX)
            ? $"2*floor({transform.Whole(t, vertical)}/2)"
            : $"{(vertical ? p.Y - Odd(p.Y) : p.X - Odd(p.X))}";

        // Whether the corner at local time t has the parity of pad, on each edge that steps ("" when none does).
        private string Parity(Piece p, (long X, long Y) pad, string t)
        {
            string Term(bool vertical, long odd)
            {
                var c = transform.Whole(t, vertical);
                return $"eq({c}-2*floor({c}/2),{odd})";
            }
            return string.Join('*', (p.StepsX ? [Term(false, pad.X)] : Array.Empty<string>()).Concat(p.StepsY ? [Term(true, pad.Y)] : []));
        }

        // Local time of frame k, as a constant (the same double the per-frame expressions compute).
        private string At(long k) => $"{k}/{Fps}";

        // FFmpeg 5.1 counts n (overlay) from 1 when it evaluates it, from the picture's first frame.
        private string LocalFrame => $"(n-{first + 1 - g.FrameOrigin})";

        private string Local => $"{LocalFrame}/{Fps}";

        // Local time from the overlay's timestamp, which its enable expression sees as well.
        private string Clock => $"(round(t*{Fps})-{first})/{Fps}";

        private string Corner(string t, bool vertical) => Quote(transform.Corner(t, vertical));

        private static string Quote(string expression) => expression.All(c => char.IsAsciiDigit(c) || c == '-') ? expression : $"'{expression}'";

        private string Overlay(string chain, string x, string y, string input, string enable)
        {
            var (layer, output) = (g.NewLabel("layer"), g.NewLabel("lay"));
            g.Add($"{chain}[{layer}]");
            var when = enable.Length > 0 ? $":enable='{enable}'" : "";
            g.Add($"[{input}][{layer}]overlay=x={x}:y={y}:format=yuv420:eof_action=pass{when}[{output}]");
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

    /// <summary>
    /// The perspective placement of a picture of <c>pw</c>×<c>ph</c> into the layer's box; of its
    /// inset only, when the picture made is only that part (an upright layer's).
    /// </summary>
    private sealed class Transform
    {
        private readonly LayerMotion _m;
        private readonly CanvasFrame _frame;
        private readonly int _pw, _ph, _cw, _ch;
        private readonly PictureInset _inset;
        private readonly double? _aspect;

        public Transform(LayerMotion motion, CanvasFrame frame, int pw, int ph, PictureInset inset, bool turns, double? aspect)
        {
            (_m, _frame, _pw, _ph, _inset, _aspect) = (motion, frame, pw, ph, inset, aspect);
            var (bw, bh) = (motion.Width.Max * frame.Width * inset.Width / pw, motion.Height.Max * frame.Height * inset.Height / ph);
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

        /// <summary>The whole-pixel edge of the picture's inset drawn as made (unscaled, upright) at local time <paramref name="t"/>.</summary>
        public string Whole(string t, bool vertical) => $"round({Centre(t, vertical)}-{Num((vertical ? _inset.Height : _inset.Width) / 2.0)})";

        /// <summary>The canvas's even overlay corner at local time <paramref name="t"/>.</summary>
        public string Corner(string t, bool vertical)
        {
            var half = (vertical ? _ch : _cw) / 2;
            return $"2*floor(({Centre(t, vertical)}-{half})/2)";
        }

        // The centre of the picture's inset (of the box, without one) at local time t.
        private string Centre(string t, bool vertical)
        {
            var (pos, side, frameSide) = vertical ? (_m.Y, _m.Height, _frame.Height) : (_m.X, _m.Width, _frame.Width);
            var share = vertical ? (_inset.Y + (_inset.Height / 2.0)) / _ph : (_inset.X + (_inset.Width / 2.0)) / _pw;
            return $"({frameSide}*({LayerExpressions.Of(pos, t)})+{frameSide}*({LayerExpressions.Of(side, t)})*{Num(share)})";
        }

        // Where canvas point (u, v) lands: pixel centres map to pixel centres, the picture's centre
        // to the box's centre (an inset's to where it lies in the box), scaled to the box and turned
        // clockwise about it.
        private string Map(string t, int u, int v, bool vertical)
        {
            var (bw, bh) = ($"{_frame.Width}*({LayerExpressions.Of(_m.Width, t)})", $"{_frame.Height}*({LayerExpressions.Of(_m.Height, t)})");
            if (_aspect is { } ratio)
            {
                (bw, bh) = ($"min({bw},{bh}*{Num(ratio)})", $"min({bh},{bw}/{Num(ratio)})");
            }
            var lu = $"({Num(u + 0.5 - Margin - (_inset.Width / 2.0))}*{bw}/{_pw})";
            var lv = $"({Num(v + 0.5 - Margin - (_inset.Height / 2.0))}*{bh}/{_ph})";
            var a = $"(({LayerExpressions.Of(_m.Rotation, t)})*PI/180)";
            var centre = $"({Centre(t, vertical)}-{Corner(t, vertical)})";
            return vertical
                ? $"{centre}+{lu}*sin({a})+{lv}*cos({a})-0.5"
                : $"{centre}+{lu}*cos({a})-{lv}*sin({a})-0.5";
        }

        private static int Even(int n) => n + (n % 2);
    }
}
