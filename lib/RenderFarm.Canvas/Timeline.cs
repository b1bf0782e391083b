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

/// <summary>Stable codes of <see cref="PlanWarning"/>.</summary>
public static class PlanWarnings
{
    /// <summary>A transition was shortened to fit its neighbours.</summary>
    public const string TransitionClamped = "TRANSITION_CLAMPED";
    /// <summary>The first base segment has nothing to blend from.</summary>
    public const string TransitionIgnored = "TRANSITION_IGNORED";
    /// <summary>An overlay starts or ends after the video; it was cut at the end.</summary>
    public const string OverlayPastEnd = "OVERLAY_PAST_END";
    /// <summary>An audio or speech track runs past the video; it was cut at the end.</summary>
    public const string AudioPastEnd = "AUDIO_PAST_END";
    /// <summary>A base segment starting inside the previous one cuts it short.</summary>
    public const string BaseOverlap = "BASE_OVERLAP";
    /// <summary>A media length was unknown; a default was used.</summary>
    public const string MediaDurationUnknown = "MEDIA_DURATION_UNKNOWN";
    /// <summary>The media is shorter than trimStart; nothing of it is left.</summary>
    public const string MediaExhausted = "MEDIA_EXHAUSTED";
    /// <summary>A text overlay does not fit its frame and is cut off when rendered.</summary>
    public const string TextTruncated = "TEXT_TRUNCATED";
}
