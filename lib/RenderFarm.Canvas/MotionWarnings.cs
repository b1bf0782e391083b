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

    /// <summary>
    /// An ANIMATION_CLAMPED warning per text overlay (or text layer) whose given animationDuration
    /// outlasts it, and a KEYFRAME_PAST_END warning per layer at its first keyframe after its
    /// resolved end (a duration from its clip, or cut at the video's end).
    /// </summary>
    public static IEnumerable<PlanWarning> Check(Timeline timeline)
    {
        foreach (var o in timeline.Segments)
        {
            var past = o.Segment.Layer is { } layer && o.Duration > 0
                ? layer.Keyframes.Select((k, i) => (k.Time, Index: i)).FirstOrDefault(k => k.Time > o.Duration + 1e-9, (0, -1))
                : (0, -1);
            if (past.Index >= 0)
            {
                yield return new PlanWarning(PlanWarnings.KeyframePastEnd, $"canvas.segments[{o.Index}].layer.keyframes[{past.Index}].time",
                    $"at {past.Time:0.###} s, after the layer's end at {o.Duration:0.###} s: never reached; the layer shows its values at its end.");
            }
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
