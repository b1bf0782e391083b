using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Scales a picture into the frame: COVER (crop), CONTAIN (letterbox), FILL (stretch), CONTAIN_BLUR.</summary>
internal static class Fitting
{
    /// <summary>
    /// Adds <paramref name="source"/> (a chain head such as <c>[0:v]…</c>) fitted into <paramref name="output"/>;
    /// with <paramref name="input"/>, the head of <see cref="GraphBuilder.Video(int, LocalMedia)"/> whose one scale is the graph's to place.
    /// </summary>
    public static void Add(GraphBuilder g, string source, CanvasFrame frame, Fit fit, string output, int? input = null)
    {
        var (w, h) = (frame.Width, frame.Height);
        string Scale(string? aspect) => input is { } i ? g.Scale(i, w, h, aspect) : GpuDecoding.CpuScale(w, h, aspect);
        // COVER crops the source to the frame's aspect first and scales only what is kept: scaling
        // the whole source up and cropping after costs several times the pixels (1080p into 9:16
        // would scale to 3413x1920 and throw two thirds away). One that fits already scales nothing.
        // On the GPU path the scale comes first (scale_cuda right after the decoder) and is cheap there.
        var cropFirst = $"crop=w='min(iw,ih*{w}/{h})':h='min(ih,iw*{h}/{w})'{FocusOffset(frame)},scale={w}:{h}";
        var cover = input is { } gpuInput
            ? g.Placed(gpuInput, $"{GpuDecoding.Scale(w, h, "increase")},crop={w}:{h}{FocusOffset(frame)}", cropFirst)
            : cropFirst;
        var contain = Scale("decrease");
        switch (fit)
        {
            case Fit.Contain:
                var background = (frame.Background with { A = 255 }).ToFfmpeg();
                g.Add($"{source},{contain},pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color={background},setsar=1[{output}]");
                break;
            case Fit.Fill:
                g.Add($"{source},{Scale(null)},setsar=1[{output}]");
                break;
            case Fit.ContainBlur:
                // Two scales of one picture: the GPU path scales once, so this one is the CPU's.
                if (input is not null)
                {
                    throw new ArgumentException("CONTAIN_BLUR scales its source twice: read it with GraphBuilder.Video(input).", nameof(input));
                }
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

    /// <summary>Whether a fit scales its source once (and so may scale it on the GPU).</summary>
    public static bool ScalesOnce(Fit fit) => fit != Fit.ContainBlur;

    // The crop's corner that centres the focus point, held inside the picture; none for the centre (crop's default).
    private static string FocusOffset(CanvasFrame frame) => frame.Focus == (0.5, 0.5) ? "" :
        $":x='clip({FilterText.Num(frame.Focus.X)}*iw-ow/2,0,iw-ow)':y='clip({FilterText.Num(frame.Focus.Y)}*ih-oh/2,0,ih-oh)'";
}
