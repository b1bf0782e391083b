using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>Checks a canvas and output spec before anything is fetched or rendered.</summary>
public static class CanvasValidator
{
    /// <summary>Every violation found; empty when the request may be planned.</summary>
    /// <param name="canvas">The canvas.</param>
    /// <param name="output">The output, whose still times are checked against the video's length where it is known.</param>
    /// <param name="narrations">Segment index → seconds of its synthesised narration, which make a narrated canvas's length known.</param>
    public static IReadOnlyList<FieldViolation> Validate(Contracts.V1.Canvas? canvas, OutputSpec? output, IReadOnlyDictionary<int, double>? narrations = null)
    {
        var v = new Violations();
        if (canvas is null)
        {
            v.Add("canvas", ErrorReasons.FieldRequired, "A canvas is required.");
        }
        else
        {
            ValidateFrame(canvas, v);
            ValidateSegments(canvas, v);
            FontFamilies.Validate(canvas.Fonts, v);
            Narrations.Validate(canvas, v);
        }
        if (output is not null)
        {
            OutputValidator.Validate(output, v);
            if (canvas is not null)
            {
                OutputValidator.ValidateFor(canvas, output, v);
            }
        }
        // Judged on an otherwise valid request: a segment refused for another field may be the one meant to give the length.
        if (canvas is not null && v.List.Count == 0 && !canvas.Segments.Any(CanHaveLength))
        {
            v.Add("canvas.segments", ErrorReasons.EmptyCanvas,
                "nothing in the canvas has a duration: give a segment a duration, or add a video, audio or speech.");
        }
        if (output is not null && v.List.Count == 0 && canvas is not null && OutputTiming.Times(output).Any())
        {
            // Still times are checked against the video's length where the plan knows it.
            OutputTiming.Validate(output, CanvasPlanner.Plan(canvas, narrations), v);
        }
        return v.List;
    }

    private static void ValidateFrame(Contracts.V1.Canvas canvas, Violations v)
    {
        if (canvas.Width != 0 || canvas.Height != 0)
        {
            Side("canvas.width", canvas.Width, v);
            Side("canvas.height", canvas.Height, v);
        }
        if (!Enum.IsDefined(canvas.Preset))
        {
            v.Add("canvas.preset", ErrorReasons.InvalidEnum, "Unknown preset.");
        }
        if (!CanvasLimits.FrameRates.Contains(canvas.Fps))
        {
            v.Add("canvas.fps", ErrorReasons.OutOfRange, "fps must be 24, 25, 30 or 60.");
        }
        v.Color("canvas.backgroundColor", canvas.BackgroundColor);
    }

    private static void Side(string field, int value, Violations v)
    {
        if (value == 0)
        {
            v.Add(field, ErrorReasons.FieldRequired, "width and height are given together.");
        }
        else if (value is < CanvasLimits.MinSide or > CanvasLimits.MaxSide || value % 2 != 0)
        {
            v.Add(field, ErrorReasons.OutOfRange, $"must be even and within {CanvasLimits.MinSide}..{CanvasLimits.MaxSide}.");
        }
    }

    private static void ValidateSegments(Contracts.V1.Canvas canvas, Violations v)
    {
        if (canvas.Segments.Count > CanvasLimits.MaxSegments)
        {
            v.Add("canvas.segments", ErrorReasons.LimitExceeded, $"at most {CanvasLimits.MaxSegments} segments.");
            return;
        }
        double baseCursor = 0, latestEnd = 0;
        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            var segment = canvas.Segments[i];
            var path = $"canvas.segments[{i}]";
            SegmentValidator.Validate(segment, path, v);

            // A cheap upper bound of the total: the real one needs media durations.
            var duration = segment.HasDuration && double.IsFinite(segment.Duration) ? segment.Duration : 0;
            var start = segment.HasStart && double.IsFinite(segment.Start) ? segment.Start : (SegmentKinds.IsBase(segment) ? baseCursor : 0);
            if (SegmentKinds.IsBase(segment))
            {
                baseCursor = start + duration;
            }
            latestEnd = Math.Max(latestEnd, start + duration);
        }
        if (latestEnd > CanvasLimits.MaxTotalSeconds)
        {
            v.Add("canvas.segments", ErrorReasons.LimitExceeded, $"the video may last at most {CanvasLimits.MaxTotalSeconds} s.");
        }
    }

    // The video lasts as long as its longest segment: one given a duration, or one whose media has a length.
    private static bool CanHaveLength(Segment s) => s.HasDuration || (s.Narration is not null && SegmentKinds.IsBase(s))
        || s.KindCase is Segment.KindOneofCase.Video or Segment.KindOneofCase.Audio or Segment.KindOneofCase.Speech;
}
