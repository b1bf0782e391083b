using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>
/// The times an output asks frames at (output.stillTimes, output.posterTime) against the video's
/// length: a time after the end is refused where the plan knows the end; a time at the end (past
/// the last frame) shows the last frame, and the plan says so.
/// </summary>
public static class OutputTiming
{
    /// <summary>The frame shown at <paramref name="time"/>, clamped to the last frame of a video of <paramref name="duration"/>.</summary>
    public static (long Frame, bool Clamped) FrameAt(double time, double duration, int fps)
    {
        var last = Math.Max(0, (long)Math.Round(duration * fps) - 1);
        var frame = Math.Max(0, (long)Math.Floor(time * fps + 1e-6));
        return frame > last ? (last, true) : (frame, false);
    }

    /// <summary>Every time the output asks a frame at, with its field path.</summary>
    public static IEnumerable<(string Path, double Time)> Times(OutputSpec output)
    {
        for (var i = 0; i < output.StillTimes.Count; i++)
        {
            yield return ($"output.stillTimes[{i}]", output.StillTimes[i]);
        }
        if (output.HasPosterTime)
        {
            yield return ("output.posterTime", output.PosterTime);
        }
    }

    internal static void Validate(OutputSpec output, CanvasPlan plan, Violations v)
    {
        if (plan.Approximate)
        {
            return;
        }
        foreach (var (path, time) in Times(output))
        {
            if (time > plan.Duration + 1e-9)
            {
                v.Add(path, ErrorReasons.StillTimeOutOfRange, $"must be within [0, {plan.Duration:0.###}] seconds, the video's length.");
            }
        }
    }

    internal static IEnumerable<PlanWarning> Warnings(OutputSpec output, CanvasPlan plan, int fps)
    {
        foreach (var (path, time) in Times(output))
        {
            if (plan.Approximate && time >= plan.Duration)
            {
                yield return new PlanWarning(PlanWarnings.StillTimeClamped, path,
                    $"past the planned end ({plan.Duration:0.###} s, a guess while media lengths are unknown): if the video ends sooner, the still shows its last frame.");
            }
            else if (!plan.Approximate && FrameAt(time, plan.Duration, fps).Clamped)
            {
                yield return new PlanWarning(PlanWarnings.StillTimeClamped, path,
                    $"at the end of the video ({plan.Duration:0.###} s), past its last frame: the still shows the last frame.");
            }
        }
    }
}
