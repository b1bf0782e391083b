namespace RenderFarm.Contracts;

/// <summary>
/// Every plan warning code (a plan's <c>warnings[].code</c>): where the planner reconciled the
/// canvas, never silently. Warnings are not errors: the plan and its render go ahead. Kept beside
/// <see cref="ErrorReasons"/> and listed in docs/errors.md the same way.
/// </summary>
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
    /// <summary>A text animation outlasts its overlay; it was shortened to the overlay's duration.</summary>
    public const string AnimationClamped = "ANIMATION_CLAMPED";
    /// <summary>A still or poster time falls at or past the last frame (or past a guessed end); the last frame is shown.</summary>
    public const string StillTimeClamped = "STILL_TIME_CLAMPED";
    /// <summary>A layer's keyframe lies after the layer's resolved end (its clip's length, or the video's end); it is never reached.</summary>
    public const string KeyframePastEnd = "KEYFRAME_PAST_END";
    /// <summary>A narration lasts longer than its segment's explicit duration (or the segment is cut short); its end is not heard.</summary>
    public const string NarrationCut = "NARRATION_CUT";
    /// <summary>A rendition's frame is so much narrower or wider than the canvas's that cropping base media to fill it keeps under half of it, and no focus says what to keep.</summary>
    public const string RenditionHeavyCrop = "RENDITION_HEAVY_CROP";
    /// <summary>A rendition's focus changes nothing: its fit does not crop (CONTAIN, FILL, CONTAIN_BLUR), or the canvas has no base image or video to crop.</summary>
    public const string RenditionFocusIgnored = "RENDITION_FOCUS_IGNORED";
}
