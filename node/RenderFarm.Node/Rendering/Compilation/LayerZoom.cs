using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// Smart zoom on an image layer: the view of the image moves from <c>kenBurns.from</c> to
/// <c>kenBurns.to</c> inside the layer's box, which it fills (widened to the box's shape, as the
/// base track's view is to the frame's), sub-pixel as on the base track. Rectangles are fractions
/// of the layer's <c>crop</c> of the image when it has one.
/// </summary>
internal static class LayerZoom
{
    /// <param name="source">A chain head of the image's one frame.</param>
    public static LayerPicture Picture(GraphBuilder g, CanvasFrame frame, Segment s, KenBurns kb, string source, LocalMedia image,
        long frames, int width, int height)
    {
        var box = frame with { Width = width, Height = height };
        var aspect = width / (double)height;
        var moving = g.NewLabel("lkb");
        if (image is { Width: > 0, Height: > 0 })
        {
            var (iw, ih) = (image.Width, image.Height);
            var (from, to) = (Within(s.Layer.Crop, kb.From), Within(s.Layer.Crop, kb.To));
            SmartZoom.Add(g, source, iw, ih, SmartZoom.Of(from, iw, ih, aspect), SmartZoom.Of(to, iw, ih, aspect), kb.Easing, box, frames,
                moving, LayerPicture.VideoFormat);
        }
        else
        {
            // Of unknown size: the view moves over the picture fitted to the box, as on the base track.
            var fitted = LayerSource.Fitted(g, frame, s, source, width, height, Fit.Cover, LayerPicture.VideoFormat);
            SmartZoom.Add(g, $"[{fitted}]null", width, height, SmartZoom.Of(kb.From, width, height, aspect), SmartZoom.Of(kb.To, width, height, aspect),
                kb.Easing, box, frames, moving, LayerPicture.VideoFormat);
        }
        var label = g.NewLabel("lsrc");
        g.Add($"[{moving}]trim=end_frame={frames},format={LayerPicture.VideoFormat}[{label}]");
        return new LayerPicture(label, false);
    }

    // Rectangle r (fractions of the crop; the whole crop when null) as fractions of the image.
    private static Rect? Within(Rect? crop, Rect? r)
    {
        if (crop is null)
        {
            return r;
        }
        r ??= new Rect { Width = 1, Height = 1 };
        return new Rect
        {
            X = crop.X + (r.X * crop.Width),
            Y = crop.Y + (r.Y * crop.Height),
            Width = r.Width * crop.Width,
            Height = r.Height * crop.Height,
        };
    }
}
