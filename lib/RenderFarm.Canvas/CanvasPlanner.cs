using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>A validated canvas with its timing made explicit, for a plan.</summary>
/// <param name="Canvas">The canvas with explicit starts, durations and clamped transitions where they are known.</param>
/// <param name="Duration">Length of the video, seconds (with defaults standing in for unknown media lengths).</param>
/// <param name="Approximate">A media length was unknown, so Duration is a guess and later timing is left to the node.</param>
/// <param name="Warnings">Every reconciliation, with the path it concerns.</param>
public sealed record CanvasPlan(Contracts.V1.Canvas Canvas, double Duration, bool Approximate, IReadOnlyList<PlanWarning> Warnings);

/// <summary>
/// Plans a canvas without fetching media: the facade never probes (media fetches stay behind the
/// node's SSRF guard), so a length only media can tell (a video without duration) stays unresolved,
/// with MEDIA_DURATION_UNKNOWN; the node resolves it from the probed file exactly as for any render.
/// </summary>
public static class CanvasPlanner
{
    /// <summary>
    /// Plans a canvas and output that passed <see cref="CanvasValidator"/>, with the output's
    /// warnings (a still time clamped to the last frame) after the canvas's.
    /// </summary>
    /// <param name="canvas">The canvas.</param>
    /// <param name="output">The output, whose still times are checked against the planned length.</param>
    /// <param name="narrations">Segment index → seconds of its synthesised narration (see <see cref="TimelineResolver.Resolve"/>).</param>
    public static CanvasPlan Plan(Contracts.V1.Canvas canvas, OutputSpec? output, IReadOnlyDictionary<int, double>? narrations = null)
    {
        var plan = Plan(canvas, narrations);
        return output is null
            ? plan
            : plan with { Warnings = [.. plan.Warnings, .. OutputTiming.Warnings(output, plan, CanvasFrame.Of(canvas).Fps)] };
    }

    /// <summary>Plans a canvas that passed <see cref="CanvasValidator"/>.</summary>
    public static CanvasPlan Plan(Contracts.V1.Canvas canvas, IReadOnlyDictionary<int, double>? narrations = null)
    {
        narrations ??= new Dictionary<int, double>();
        var timeline = TimelineResolver.Resolve(canvas, new Dictionary<int, double>(), narrations);
        var warnings = timeline.Warnings.Concat(TextFit.Check(canvas)).Concat(MotionWarnings.Check(timeline)).ToList();
        var approximate = warnings.Any(w => w.Code == PlanWarnings.MediaDurationUnknown);
        // Base content placed before the first unknown length keeps its timing; everything after it
        // (and every overlay, whose default end is the video's end) depends on the probed media.
        var firstUnknown = int.MaxValue;
        for (var i = 0; approximate && i < canvas.Segments.Count && firstUnknown == int.MaxValue; i++)
        {
            if (SegmentKinds.IsBase(canvas.Segments[i]) && !canvas.Segments[i].HasDuration && !narrations.ContainsKey(i))
            {
                firstUnknown = i;
            }
        }

        var resolved = canvas.Clone();
        foreach (var t in timeline.Segments)
        {
            var s = resolved.Segments[t.Index];
            var isBase = SegmentKinds.IsBase(s);
            // A segment cut to nothing keeps its input: a zero duration is no valid canvas.
            if (t.Duration <= 0 || (approximate && (!isBase || t.Index >= firstUnknown)))
            {
                continue;
            }

            s.Start = t.Start;
            if ((SegmentKinds.IsSound(s) || (SegmentKinds.IsLayer(s) && s.KindCase == Segment.KindOneofCase.Video)) && !s.HasDuration)
            {
                // The sound's or video layer's own length (file or synthesised speech) decides, up to the video's end.
                continue;
            }

            s.Duration = t.Duration;
            if (isBase && s.Transition is not null)
            {
                if (t.TransitionDuration > 0)
                {
                    s.Transition.Duration = t.TransitionDuration;
                }
                else
                {
                    s.Transition = null;
                }
            }
        }

        // The resolved form must stay a valid canvas; should a rule disagree, the input is kept.
        var plannedCanvas = CanvasValidator.Validate(resolved, null).Count == 0 ? resolved : canvas.Clone();
        return new CanvasPlan(plannedCanvas, timeline.Duration, approximate, warnings);
    }
}
