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
/// segment. zoompan crops at whole source pixels (the view jitters on slow moves), so each frame is
/// an integer crop around the view followed by <c>perspective</c>, which maps the view's exact,
/// fractional corners onto the frame with bilinear interpolation: the view never steps.
/// </summary>
internal static class SmartZoom
{
    // The legacy zoom/pan: 20 % closer at the zoomed end.
    private const double Depth = 0.2;

    // The working picture keeps the closest view at (at most) native resolution, but the widest
    // view at most this many times the frame: perspective's cost follows the crop window's area.
    private const double MaxDownsample = 1.5;

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
    /// from <paramref name="from"/> (first frame) to <paramref name="to"/> (last frame).
    /// </summary>
    public static void Add(GraphBuilder g, string source, int iw, int ih, View from, View to, Easing easing, CanvasFrame frame, long frames, string output)
    {
        var widest = Math.Max(from.W, to.W);
        var scale = Math.Min(1, Math.Min(frame.Width / Math.Min(from.W, to.W), MaxDownsample * frame.Width / widest));
        var (sw, sh) = scale < 1 ? (Math.Max(2, (int)Math.Round(iw * scale)), Math.Max(2, (int)Math.Round(ih * scale))) : (iw, ih);
        var (sx, sy) = (sw / (double)iw, sh / (double)ih);
        (from, to) = (Scaled(from, sx, sy), Scaled(to, sx, sy));
        var cw = Math.Min(sw, (int)Math.Ceiling(Math.Max(from.W, to.W)) + 2);
        var ch = Math.Min(sh, (int)Math.Ceiling(Math.Max(from.H, to.H)) + 2);

        // Both must agree on the frame's index: crop's n counts from 0, perspective's on from 1
        // (FFmpeg counts the frame in before evaluating).
        string Eased(string index) => EasingCurves.Expression(easing, $"min(1,{index}/{Math.Max(1, frames - 1)})");
        string Lerp(double a, double b, string e) => Math.Abs(b - a) < 1e-9 ? Num(a) : $"({Num(a)}+{Num(b - a)}*{e})";
        string CropX(string e) => $"clip(floor({Lerp(from.X, to.X, e)})-1,0,{sw - cw})";
        string CropY(string e) => $"clip(floor({Lerp(from.Y, to.Y, e)})-1,0,{sh - ch})";

        var e = Eased("(on-1)");
        var (left, top) = ($"({Lerp(from.X, to.X, e)}-{CropX(e)})", $"({Lerp(from.Y, to.Y, e)}-{CropY(e)})");
        var (right, bottom) = ($"({left}+{Lerp(from.W, to.W, e)})", $"({top}+{Lerp(from.H, to.H, e)})");
        var resize = scale < 1 ? $"scale={sw}:{sh}:flags=lanczos," : "";
        g.Add($"{source},{resize}format=yuv444p,loop=loop=-1:size=1:start=0,settb=1/{frame.Fps},setpts=N,"
            + $"crop=w={cw}:h={ch}:x='{CropX(Eased("n"))}':y='{CropY(Eased("n"))}':exact=1,"
            + $"perspective=x0='{left}':y0='{top}':x1='{right}':y1='{top}':x2='{left}':y2='{bottom}':x3='{right}':y3='{bottom}':eval=frame,"
            + $"scale={frame.Width}:{frame.Height},setsar=1[{output}]");
    }

    private static View Scaled(View v, double sx, double sy) => new(v.X * sx, v.Y * sy, v.W * sx, v.H * sy);
}
