using System.Globalization;
using System.Text;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using static RenderFarm.Node.Rendering.Compilation.FilterText;
using Pan = RenderFarm.Contracts.V1.ImageClip.Types.Pan;
using Zoom = RenderFarm.Contracts.V1.ImageClip.Types.Zoom;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>A view of a picture in its pixels: top-left corner and size, sub-pixel.</summary>
internal readonly record struct View(double X, double Y, double W, double H);

/// <summary>
/// Smart zoom (Ken Burns): the part of a still shown moves from one rectangle to another over the
/// segment. zoompan crops at whole source pixels (the view jitters on slow moves); here each frame
/// is scaled to the nearest whole size (<c>scale</c>, evaluated per frame), cut at a whole pixel
/// and shifted by the remaining fraction of a pixel (a bilinear 3x3 <c>convolution</c>, set per
/// frame by sendcmd): the view's centre is exact and never steps. (<c>perspective</c> did the same
/// exactly for the corners too, at three times the cost per frame.)
/// </summary>
internal static class SmartZoom
{
    // The legacy zoom/pan: 20 % closer at the zoomed end.
    private const double Depth = 0.2;

    // How much larger than its smallest view a piece's views may spread: the most a piece's
    // closest view is softened (its part of the still is scaled to fit them all in the frame).
    private const double PieceGrowth = 1.15;

    // More pieces than this (a very fast move) spread further instead: each is a few filters.
    private const int MaxPieces = 48;

    /// <summary>The legacy <c>zoom</c>/<c>pan</c> as rectangles of the fitted frame, or null when neither is set.</summary>
    public static (Rect From, Rect To)? OfZoomAndPan(ImageClip image)
    {
        var zoomed = image.Zoom is Zoom.In or Zoom.Out;
        if (!zoomed && image.Pan is Pan.Unspecified)
        {
            return null;
        }
        var close = 1 / (1 + Depth);
        Rect At(double size, double fx, double fy) => new() { X = (1 - size) * fx, Y = (1 - size) * fy, Width = size, Height = size };
        var (fromSize, toSize) = image.Zoom switch { Zoom.In => (1, close), Zoom.Out => (close, 1), _ => (close, close) };
        var (fromX, toX, fromY, toY) = image.Pan switch
        {
            Pan.Left => (1.0, 0.0, 0.5, 0.5),
            Pan.Right => (0, 1, 0.5, 0.5),
            Pan.Up => (0.5, 0.5, 1, 0),
            Pan.Down => (0.5, 0.5, 0, 1),
            _ => (0.5, 0.5, 0.5, 0.5),
        };
        return (At(fromSize, fromX, fromY), At(toSize, toX, toY));
    }

    /// <summary>
    /// The view of rectangle <paramref name="r"/> (fractions; the whole picture when null) of an
    /// <paramref name="iw"/>×<paramref name="ih"/> picture, widened about its centre to the frame's
    /// aspect so it fills the frame undistorted; where the picture is too small for that, the largest
    /// view of that aspect inside it (cropping, as COVER does). It always stays inside the picture.
    /// </summary>
    public static View Of(Rect? r, int iw, int ih, double aspect)
    {
        r ??= new Rect { Width = 1, Height = 1 };
        var (w, h) = (r.Width * iw, r.Height * ih);
        var (cx, cy) = ((r.X * iw) + (w / 2), (r.Y * ih) + (h / 2));
        (w, h) = w / h < aspect ? (h * aspect, h) : (w, w / aspect);
        var shrink = Math.Min(1, Math.Min(iw / w, ih / h));
        // w·(ih/h) can land a rounding error past the picture's side: never past it.
        (w, h) = (Math.Min(iw, w * shrink), Math.Min(ih, h * shrink));
        return new View(Math.Clamp(cx - (w / 2), 0, iw - w), Math.Clamp(cy - (h / 2), 0, ih - h), w, h);
    }

    /// <summary>
    /// Adds <paramref name="source"/> (a chain head of one still frame, <paramref name="iw"/>×<paramref name="ih"/>)
    /// as <paramref name="frames"/> frames at frame size into <paramref name="output"/>, the view moving
    /// from <paramref name="from"/> (first frame) to <paramref name="to"/> (last frame), in
    /// <paramref name="format"/> (one with alpha keeps a layer's transparency).
    /// </summary>
    /// <remarks>
    /// The frames are cut into pieces over which the view changes little (the views of a piece fit in
    /// a rectangle at most <see cref="PieceGrowth"/> times the smallest of them). Each piece's part of
    /// the still is scaled once so that this rectangle fits the frame, and cut to the frame's size:
    /// per frame it is scaled (at most <see cref="PieceGrowth"/> times), cut and shifted, at about the
    /// frame's size and in the output's format. The pieces are joined by concat. The pieces that end
    /// before frame <paramref name="skip"/> are left out (a chunk that starts later needs none of
    /// them); the returned count of frames left out is where the output starts.
    /// </remarks>
    public static long Add(GraphBuilder g, string source, int iw, int ih, View from, View to, Easing easing, CanvasFrame frame, long frames, string output,
        string format = "yuv420p", long skip = 0)
    {
        var (w, h, n) = (frame.Width, frame.Height, Math.Max(1, frames));
        View At(long k)
        {
            var e = Easings.Apply(easing, Math.Min(1, k / (double)Math.Max(1, n - 1)));
            return new View(from.X + ((to.X - from.X) * e), from.Y + ((to.Y - from.Y) * e), from.W + ((to.W - from.W) * e), from.H + ((to.H - from.H) * e));
        }
        var pieces = Pieces(At, n, PieceGrowth);
        for (var growth = PieceGrowth * 1.5; pieces.Count > MaxPieces; growth *= 1.5)
        {
            pieces = Pieces(At, n, growth);
        }
        pieces = pieces.Count > 1 ? [.. pieces.SkipWhile(p => p.End <= skip && p.End < n)] : pieces;
        // Cut and scaled in 4:4:4 (an odd corner stays exact), then in the output's format.
        var alpha = format.Contains('a', StringComparison.Ordinal);
        var full = alpha ? "yuva444p" : "yuv444p";
        var subsampled = format.Contains("420", StringComparison.Ordinal) ? (1, 1) : format.Contains("422", StringComparison.Ordinal) ? (1, 0) : (0, 0);
        var copies = pieces.Select(_ => g.NewLabel("zs")).ToList();
        g.Add($"{source},format={full}{(copies.Count == 1 ? "" : $",split={copies.Count}")}{string.Concat(copies.Select(c => $"[{c}]"))}");
        var joined = new List<string>();
        for (var i = 0; i < pieces.Count; i++)
        {
            var (start, end, union) = pieces[i];
            // The part of the still around the piece's views, with room for the resampler.
            var scale = Math.Min((w - 2) / union.W, (h - 2) / union.H);
            var (cx, cy) = (union.X + (union.W / 2), union.Y + (union.H / 2));
            var x0 = Math.Max(0, (int)Math.Floor(cx - ((w / scale) / 2) - 2));
            var y0 = Math.Max(0, (int)Math.Floor(cy - ((h / scale) / 2) - 2));
            var x1 = Math.Min(iw, (int)Math.Ceiling(cx + ((w / scale) / 2) + 2));
            var y1 = Math.Min(ih, (int)Math.Ceiling(cy + ((h / scale) / 2) + 2));
            var (sw, sh) = (Math.Max(1, (int)Math.Round((x1 - x0) * scale)), Math.Max(1, (int)Math.Round((y1 - y0) * scale)));
            var (sx, sy) = (sw / (double)(x1 - x0), sh / (double)(y1 - y0));
            // The frame-sized window of the scaled part that holds the views, padded where the part is smaller.
            var left = Math.Clamp((int)Math.Round(((cx - x0) * sx) - (w / 2.0)), 0, Math.Max(0, sw - w));
            var top = Math.Clamp((int)Math.Round(((cy - y0) * sy) - (h / 2.0)), 0, Math.Max(0, sh - h));
            // Even sides: the format negotiated for pad may be 4:2:0, which rounds odd sides down below the input's.
            var pad = sw < w || sh < h ? $",pad={Even(Math.Max(sw, w))}:{Even(Math.Max(sh, h))}:0:0" : "";
            View Placed(View v) => new(((v.X - x0) * sx) - left, ((v.Y - y0) * sy) - top, v.W * sx, v.H * sy);
            var label = pieces.Count == 1 ? output : g.NewLabel("zp");
            var steps = Enumerable.Range(0, (int)(end - start)).Select(k => StepFor(Placed(At(start + k)), w, h, subsampled)).ToList();
            var shifts = g.NewLabel("zc");
            var commands = new StringBuilder();
            for (var k = 1; k < steps.Count; k++)
            {
                // Half a frame early, so that timestamp rounding never delays a command by a frame.
                var set = Kernels(steps[k], subsampled, alpha).Select(p => $"convolution@{shifts} {p.Plane} '{p.Matrix}'");
                commands.Append($"{Num((k - 0.5) / frame.Fps)} {string.Join(", ", set)};\n");
            }
            var sendcmd = commands.Length > 0 ? $"sendcmd=f={Value(g.AddTextFile(commands.ToString(), "cmd"))}," : "";
            g.Add($"[{copies[i]}]crop={x1 - x0}:{y1 - y0}:{x0}:{y0},scale={sw}:{sh}:flags=lanczos{pad},crop={w}:{h}:{left}:{top},format={format},"
                + $"loop=loop=-1:size=1:start=0,settb=1/{frame.Fps},setpts=N,trim=end_frame={end - start},"
                + $"scale=w='{Table(steps, st => st.Dw)}':h='{Table(steps, st => st.Dh)}':eval=frame:flags=bicubic,"
                + $"crop={w}:{h}:x='{Table(steps, st => st.Cx)}':y='{Table(steps, st => st.Cy)}',"
                + $"{sendcmd}convolution@{shifts}={string.Join(':', Kernels(steps[0], subsampled, alpha).Select(p => $"{p.Plane}='{p.Matrix}'"))},setsar=1[{label}]");
            joined.Add($"[{label}]");
        }
        if (pieces.Count > 1)
        {
            g.Add($"{string.Concat(joined)}concat=n={pieces.Count}:v=1:a=0,settb=1/{frame.Fps},setpts=N[{output}]");
        }
        return pieces[0].Start;
    }

    // Frames [start, end) whose views all fit in Union, a rectangle at most growth times the smallest view of the piece.
    private static List<(long Start, long End, View Union)> Pieces(Func<long, View> at, long n, double growth)
    {
        var pieces = new List<(long, long, View)>();
        var start = 0L;
        while (start < n)
        {
            var union = at(start);
            var (minW, minH) = (union.W, union.H);
            var end = start + 1;
            for (; end < n; end++)
            {
                var v = at(end);
                var next = Union(union, v);
                var (mw, mh) = (Math.Min(minW, v.W), Math.Min(minH, v.H));
                if (next.W > growth * mw || next.H > growth * mh)
                {
                    break;
                }
                (union, minW, minH) = (next, mw, mh);
            }
            pieces.Add((start, end, union));
            start = end;
        }
        return pieces;
    }

    /// <summary>
    /// One frame of a piece: its picture scaled to <c>Dw</c>×<c>Dh</c> (the view at frame size, to a
    /// whole pixel), cut at (<c>Cx</c>, <c>Cy</c>) and shifted by (<c>Rx</c>, <c>Ry</c>) of a pixel.
    /// </summary>
    private readonly record struct Step(int Dw, int Dh, int Cx, int Cy, double Rx, double Ry);

    // The step that shows view v (pixels of the piece's w×h picture) on the w×h frame; cuts keep to
    // the chroma grid of a format subsampled by (1 << sub.X, 1 << sub.Y).
    private static Step StepFor(View v, int w, int h, (int X, int Y) sub)
    {
        var (dw, cx, rx) = Axis(v.X, v.W, w, sub.X);
        var (dh, cy, ry) = Axis(v.Y, v.H, h, sub.Y);
        return new Step(dw, dh, cx, cy, rx, ry);
    }

    // Along one axis: the view [at, at + size) of the picture shown on side pixels. swscale samples
    // the picture at (s + 0.5)·side/d − 0.5 for pixel s of a side → d scale; the view wants
    // at + (x + 0.5)·size/side − 0.5 for pixel x of the frame. d is the nearest whole size (the
    // view is then at most half a pixel wider or narrower across the frame), and cut plus shift
    // put the frame's centre exactly where the view's is.
    private static (int D, int Cut, double Shift) Axis(double at, double size, int side, int sub)
    {
        var a = size / side;
        var d = Math.Max(side, (int)Math.Round(side / a));
        var scaled = side / (double)d;
        var mid = (side - 1) / 2.0;
        var t = ((at + ((mid + 0.5) * a)) / scaled) - mid - 0.5;
        var align = 1 << sub;
        var cut = Math.Clamp((int)Math.Round(t / align) * align, 0, (d - side) / align * align);
        return (d, cut, Math.Clamp(t - cut, -1, 1));
    }

    // The 3x3 kernels (per plane) that shift a frame by step's fraction: a bilinear sample at x + Rx, y + Ry.
    private static List<(string Plane, string Matrix)> Kernels(Step step, (int X, int Y) sub, bool alpha)
    {
        var luma = Kernel(step.Rx, step.Ry);
        var chroma = Kernel(step.Rx / (1 << sub.X), step.Ry / (1 << sub.Y));
        List<(string, string)> kernels = [("0m", luma), ("1m", chroma), ("2m", chroma)];
        if (alpha)
        {
            kernels.Add(("3m", luma));
        }
        return kernels;
    }

    // Weights in 256ths, summing to exactly 256 (the filter divides by the sum).
    private static string Kernel(double rx, double ry)
    {
        static double[] Taps(double r) => r >= 0 ? [0, 1 - r, r] : [-r, 1 + r, 0];
        var (tx, ty) = (Taps(rx), Taps(ry));
        var weights = Enumerable.Range(0, 9).Select(i => (int)Math.Round(256 * ty[i / 3] * tx[i % 3])).ToArray();
        var largest = Array.IndexOf(weights, weights.Max());
        weights[largest] += 256 - weights.Sum();
        return string.Join(' ', weights);
    }

    // A value per frame of a piece as an expression of the frame number n: a binary search over the frames.
    private static string Table(IReadOnlyList<Step> steps, Func<Step, int> value)
    {
        var values = steps.Select(value).ToList();
        string Range(int lo, int hi)
        {
            if (values.Skip(lo).Take(hi - lo).Distinct().Count() == 1)
            {
                return values[lo].ToString(CultureInfo.InvariantCulture);
            }
            var mid = (lo + hi) / 2;
            return $"if(lt(n,{mid}),{Range(lo, mid)},{Range(mid, hi)})";
        }
        return Range(0, values.Count);
    }

    private static int Even(int side) => side + (side & 1);

    private static View Union(View a, View b)
    {
        var (x, y) = (Math.Min(a.X, b.X), Math.Min(a.Y, b.Y));
        return new View(x, y, Math.Max(a.X + a.W, b.X + b.W) - x, Math.Max(a.Y + a.H, b.Y + b.H) - y);
    }

}
