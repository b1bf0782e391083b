using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>Where motion settings were reconciled with the resolved timeline.</summary>
public static class MotionWarnings
{
    /// <summary>Seconds a text animation takes when none is given.</summary>
    public const double DefaultAnimationDuration = 1;

    /// <summary>The seconds a text overlay's entrance animation takes: as given (or 1 s), at most the overlay's duration.</summary>
    public static double AnimationDuration(TextOverlay text, double overlayDuration) =>
        Math.Max(0, Math.Min(text.HasAnimationDuration ? text.AnimationDuration : DefaultAnimationDuration, overlayDuration));

    /// <summary>An ANIMATION_CLAMPED warning per text overlay whose given animationDuration outlasts the overlay.</summary>
    public static IEnumerable<PlanWarning> Check(Timeline timeline)
    {
        foreach (var o in timeline.Segments)
        {
            if (o.Segment.KindCase != Segment.KindOneofCase.Text || o.Duration <= 0)
            {
                continue;
            }
            var t = o.Segment.Text;
            if (t.Animation is not (TextOverlay.Types.Animation.Unspecified or TextOverlay.Types.Animation.None)
                && t.HasAnimationDuration && t.AnimationDuration > o.Duration + 1e-9)
            {
                yield return new PlanWarning(PlanWarnings.AnimationClamped, $"canvas.segments[{o.Index}].text.animationDuration",
                    $"shortened from {t.AnimationDuration:0.###} s to the overlay's {o.Duration:0.###} s.");
            }
        }
    }
}
