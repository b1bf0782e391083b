using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>Checks <c>segment.layer</c>: the box, opacity, rotation, fit, crop and keyframes.</summary>
internal static class LayerValidator
{
    /// <summary>Most keyframes per layer.</summary>
    public const int MaxKeyframes = 200;

    /// <summary>Largest rotation either way, degrees (100 turns).</summary>
    public const double MaxRotation = 36000;

    // Box bounds in frame fractions: a box may start off-frame and be up to four frames large.
    private const double MinCorner = -1, MaxCorner = 2, MaxSide = 4;

    public static void Validate(Segment s, Layer layer, string path, Violations v)
    {
        var lp = $"{path}.layer";
        if (s.KindCase is not (Segment.KindOneofCase.Image or Segment.KindOneofCase.Video or Segment.KindOneofCase.Color
            or Segment.KindOneofCase.Text or Segment.KindOneofCase.Shape))
        {
            v.Add(lp, ErrorReasons.UnsupportedCombination, "only image, video, color, text and shape segments can be layers.");
            return;
        }
        if (!layer.HasWidth)
        {
            v.Add($"{lp}.width", ErrorReasons.FieldRequired, "a layer needs a box: width and height.");
        }
        if (!layer.HasHeight)
        {
            v.Add($"{lp}.height", ErrorReasons.FieldRequired, "a layer needs a box: width and height.");
        }
        Box(lp, layer.HasX ? layer.X : null, layer.HasY ? layer.Y : null, layer.HasWidth ? layer.Width : null, layer.HasHeight ? layer.Height : null, v);
        if (layer.HasOpacity)
        {
            v.Range($"{lp}.opacity", layer.Opacity, 0, 1);
        }
        v.Range($"{lp}.rotation", layer.Rotation, -MaxRotation, MaxRotation);
        v.Enum($"{lp}.fit", layer.Fit);
        if (layer.Fit == Fit.ContainBlur)
        {
            v.Add($"{lp}.fit", ErrorReasons.UnsupportedCombination, "a layer fits its box with CONTAIN, COVER or FILL.");
        }
        if (layer.Crop is { } crop)
        {
            Crop(s, crop, $"{lp}.crop", v);
        }
        Keyframes(s, layer, lp, v);
    }

    private static void Box(string path, double? x, double? y, double? width, double? height, Violations v)
    {
        if (x is { } xv)
        {
            v.Range($"{path}.x", xv, MinCorner, MaxCorner);
        }
        if (y is { } yv)
        {
            v.Range($"{path}.y", yv, MinCorner, MaxCorner);
        }
        Side($"{path}.width", width, v);
        Side($"{path}.height", height, v);
    }

    private static void Side(string field, double? value, Violations v)
    {
        if (value is { } side && (!double.IsFinite(side) || side <= 0 || side > MaxSide))
        {
            v.Add(field, ErrorReasons.OutOfRange, $"must be within (0, {MaxSide}] of the frame.");
        }
    }

    private static void Crop(Segment s, Rect crop, string path, Violations v)
    {
        if (s.KindCase is not (Segment.KindOneofCase.Image or Segment.KindOneofCase.Video))
        {
            v.Add(path, ErrorReasons.UnsupportedCombination, "only image and video layers have a source to crop.");
            return;
        }
        v.Range($"{path}.x", crop.X, 0, 1);
        v.Range($"{path}.y", crop.Y, 0, 1);
        if (!double.IsFinite(crop.Width) || crop.Width <= 0 || crop.X + crop.Width > 1 + 1e-9)
        {
            v.Add($"{path}.width", ErrorReasons.OutOfRange, "must be > 0 with x + width <= 1.");
        }
        if (!double.IsFinite(crop.Height) || crop.Height <= 0 || crop.Y + crop.Height > 1 + 1e-9)
        {
            v.Add($"{path}.height", ErrorReasons.OutOfRange, "must be > 0 with y + height <= 1.");
        }
    }

    private static void Keyframes(Segment s, Layer layer, string path, Violations v)
    {
        if (layer.Keyframes.Count > MaxKeyframes)
        {
            v.Add($"{path}.keyframes", ErrorReasons.LimitExceeded, $"at most {MaxKeyframes} keyframes.");
            return;
        }
        var duration = s.HasDuration && double.IsFinite(s.Duration) ? s.Duration : CanvasLimits.MaxTotalSeconds;
        var previous = double.NegativeInfinity;
        for (var i = 0; i < layer.Keyframes.Count; i++)
        {
            var k = layer.Keyframes[i];
            var kp = $"{path}.keyframes[{i}]";
            if (!double.IsFinite(k.Time) || k.Time < 0 || k.Time > duration + 1e-9)
            {
                v.Add($"{kp}.time", ErrorReasons.OutOfRange, $"must be within 0..{duration:0.###} s (the segment's duration).");
            }
            else if (k.Time <= previous)
            {
                v.Add($"{kp}.time", ErrorReasons.OutOfRange, $"keyframes are in increasing time: must be after keyframes[{i - 1}].time.");
            }
            previous = double.IsFinite(k.Time) ? Math.Max(previous, k.Time) : previous;
            Box(kp, k.HasX ? k.X : null, k.HasY ? k.Y : null, k.HasWidth ? k.Width : null, k.HasHeight ? k.Height : null, v);
            if (k.HasOpacity)
            {
                v.Range($"{kp}.opacity", k.Opacity, 0, 1);
            }
            if (k.HasRotation)
            {
                v.Range($"{kp}.rotation", k.Rotation, -MaxRotation, MaxRotation);
            }
            v.Enum($"{kp}.easing", k.Easing);
        }
    }
}
