using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Easing curves as FFmpeg expressions of a progress 0..1 (cubic, as the contract says).</summary>
internal static class EasingCurves
{
    /// <summary>The eased value of progress <paramref name="p"/> (an expression already within 0..1).</summary>
    public static string Expression(Easing easing, string p) => easing switch
    {
        Easing.EaseIn => $"pow({p},3)",
        Easing.EaseOut => $"(1-pow(1-{p},3))",
        Easing.EaseInOut => $"if(lt({p},0.5),4*pow({p},3),1-pow(2-2*{p},3)/2)",
        _ => $"({p})",
    };

    /// <summary>Progress 0..1 of <paramref name="value"/> from <paramref name="from"/> over <paramref name="length"/>.</summary>
    public static string Progress(string value, double from, double length) =>
        length <= 0 ? $"gte({value},{FilterText.Num(from)})" : $"clip(({value}-{FilterText.Num(from)})/{FilterText.Num(length)},0,1)";
}
