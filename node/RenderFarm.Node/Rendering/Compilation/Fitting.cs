using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Scales a picture into the frame: COVER (crop), CONTAIN (letterbox), FILL (stretch), CONTAIN_BLUR.</summary>
internal static class Fitting
{
    /// <summary>Adds <paramref name="source"/> (a chain head such as <c>[0:v]…</c>) fitted into <paramref name="output"/>.</summary>
    public static void Add(GraphBuilder g, string source, CanvasFrame frame, Fit fit, string output)
    {
        var (w, h) = (frame.Width, frame.Height);
        // COVER crops the source to the frame's aspect first and scales only what is kept: scaling
        // the whole source up and cropping after costs several times the pixels (1080p into 9:16
        // would scale to 3413x1920 and throw two thirds away). One that fits already scales nothing.
        var cover = $"crop=w='min(iw,ih*{w}/{h})':h='min(ih,iw*{h}/{w})'{FocusOffset(frame)},scale={w}:{h}";
        var contain = $"scale={w}:{h}:force_original_aspect_ratio=decrease";
        switch (fit)
        {
            case Fit.Contain:
                var background = (frame.Background with { A = 255 }).ToFfmpeg();
                g.Add($"{source},{contain},pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color={background},setsar=1[{output}]");
                break;
            case Fit.Fill:
                g.Add($"{source},scale={w}:{h},setsar=1[{output}]");
                break;
            case Fit.ContainBlur:
                var (a, b, back, front) = (g.NewLabel("ba"), g.NewLabel("bb"), g.NewLabel("bg"), g.NewLabel("fg"));
                g.Add($"{source},split=2[{a}][{b}]");
                // The radius follows the frame, so small frames (chroma planes under 40 px) still blur.
                g.Add($"[{a}]{cover},boxblur=lr='min(w,h)/20':lp=2:cr='min(cw,ch)/20':cp=2[{back}]");
                g.Add($"[{b}]{contain}[{front}]");
                g.Add($"[{back}][{front}]overlay=(W-w)/2:(H-h)/2,setsar=1[{output}]");
                break;
            default:
                g.Add($"{source},{cover},setsar=1[{output}]");
                break;
        }
    }

    // The crop's corner that centres the focus point, held inside the picture; none for the centre (crop's default).
    private static string FocusOffset(CanvasFrame frame) => frame.Focus == (0.5, 0.5) ? "" :
        $":x='clip({FilterText.Num(frame.Focus.X)}*iw-ow/2,0,iw-ow)':y='clip({FilterText.Num(frame.Focus.Y)}*ih-oh/2,0,ih-oh)'";
}
