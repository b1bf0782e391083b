using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using Pan = RenderFarm.Contracts.V1.ImageClip.Types.Pan;
using Zoom = RenderFarm.Contracts.V1.ImageClip.Types.Zoom;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>The zoompan filter of an image's zoom/pan effect, or nothing.</summary>
internal static class KenBurns
{
    private const double Depth = 0.2;

    /// <summary>A filter to append (with its leading comma) over <paramref name="frames"/> output frames.</summary>
    public static string Filter(ImageClip image, CanvasFrame frame, long frames)
    {
        var zoomed = image.Zoom is Zoom.In or Zoom.Out;
        var panned = image.Pan is not Pan.Unspecified;
        if (!zoomed && !panned)
        {
            return "";
        }
        var progress = $"on/{Math.Max(1, frames - 1)}";
        var z = image.Zoom switch
        {
            Zoom.In => $"1+{FilterText.Num(Depth)}*{progress}",
            Zoom.Out => $"{FilterText.Num(1 + Depth)}-{FilterText.Num(Depth)}*{progress}",
            _ => FilterText.Num(1 + Depth),
        };
        var x = image.Pan switch
        {
            Pan.Left => $"(iw-iw/zoom)*(1-{progress})",
            Pan.Right => $"(iw-iw/zoom)*{progress}",
            _ => "(iw-iw/zoom)/2",
        };
        var y = image.Pan switch
        {
            Pan.Up => $"(ih-ih/zoom)*(1-{progress})",
            Pan.Down => $"(ih-ih/zoom)*{progress}",
            _ => "(ih-ih/zoom)/2",
        };
        return $",zoompan=z='{z}':x='{x}':y='{y}':d=1:s={frame.Width}x{frame.Height}:fps={frame.Fps}";
    }
}
