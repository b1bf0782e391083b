using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>A canvas with every segment placed: explicit start and duration, and the video's length.</summary>
/// <param name="Segments">Every segment in canvas order (Index is its position in the canvas).</param>
/// <param name="Duration">Length of the output video, seconds.</param>
/// <param name="Warnings">Where the input was reconciled, never silently.</param>
public sealed record Timeline(IReadOnlyList<TimedSegment> Segments, double Duration, IReadOnlyList<PlanWarning> Warnings);

/// <summary>A segment placed on the output timeline.</summary>
/// <param name="Index">Position in <c>canvas.segments</c>.</param>
/// <param name="Segment">The segment as given.</param>
/// <param name="Start">Seconds on the output timeline.</param>
/// <param name="Duration">Seconds on the output timeline; 0 when the segment ends up invisible or silent.</param>
/// <param name="TransitionDuration">Seconds this base segment blends with the previous one (0: a cut).</param>
public sealed record TimedSegment(int Index, Segment Segment, double Start, double Duration, double TransitionDuration)
{
    /// <summary>Start + Duration.</summary>
    public double End => Start + Duration;
}

/// <summary>A reconciliation the planner made, e.g. TRANSITION_CLAMPED at canvas.segments[2].transition.duration.</summary>
public sealed record PlanWarning(string Code, string Path, string Message);
