using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// FFmpeg expressions of a layer's keyframed properties, evaluated per frame. The same text is
/// generated for every filter that needs a value (perspective, overlay), with the time variable
/// spelled so that each computes the identical double: frame count over frame rate.
/// </summary>
internal static class LayerExpressions
{
    /// <summary>The value of <paramref name="track"/> at local time <paramref name="t"/> (an expression in seconds).</summary>
    public static string Of(PropertyTrack track, string t)
    {
        var points = track.Points;
        if (track.IsConstant)
        {
            return Num(points[0].Value);
        }
        var expression = Num(points[^1].Value);
        for (var i = points.Count - 1; i >= 1; i--)
        {
            var (a, b) = (points[i - 1], points[i]);
            var segment = a.Value == b.Value
                ? Num(a.Value)
                : $"{Num(a.Value)}+{Num(b.Value - a.Value)}*{Ease(b.Easing, $"(({t})-{Num(a.Time)})/{Num(b.Time - a.Time)}")}";
            expression = $"if(lt({t},{Num(b.Time)}),{segment},{expression})";
        }
        return expression;
    }

    private static string Ease(Easing easing, string p) => easing switch
    {
        Easing.EaseIn => $"pow({p},3)",
        Easing.EaseOut => $"(1-pow(1-{p},3))",
        Easing.EaseInOut => $"if(lt({p},0.5),4*pow({p},3),1-pow(2-2*{p},3)/2)",
        _ => $"({p})",
    };
}
