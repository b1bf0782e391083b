using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>
/// The motion and picture fields of a segment: smart zoom (<c>image.kenBurns</c>), text
/// animations, chroma key, <c>filters</c> and ducking ramps.
/// </summary>
internal static class MotionValidator
{
    /// <summary>Longest ducking ramp, seconds.</summary>
    public const double MaxDuckRamp = 10;

    public static void Validate(Segment s, string path, Violations v)
    {
        if (s.Filters is { } f)
        {
            Filters(s, f, $"{path}.filters", v);
        }
        switch (s.KindCase)
        {
            case Segment.KindOneofCase.Image when s.Image.KenBurns is { } kb:
                KenBurns(s.Image, kb, $"{path}.image", v);
                break;
            case Segment.KindOneofCase.Video when s.Video.ChromaKey is { } key:
                ChromaKey(key, $"{path}.video.chromaKey", v);
                break;
            case Segment.KindOneofCase.Text:
                v.Enum($"{path}.text.animation", s.Text.Animation);
                if (s.Text.HasAnimationDuration && (!double.IsFinite(s.Text.AnimationDuration) || s.Text.AnimationDuration <= 0
                    || s.Text.AnimationDuration > CanvasLimits.MaxTotalSeconds))
                {
                    v.Add($"{path}.text.animationDuration", ErrorReasons.OutOfRange, "must be a number of seconds > 0.");
                }
                break;
            case Segment.KindOneofCase.Audio:
                if (s.Audio.HasDuckAttack)
                {
                    v.Range($"{path}.audio.duckAttack", s.Audio.DuckAttack, 0, MaxDuckRamp);
                }
                if (s.Audio.HasDuckRelease)
                {
                    v.Range($"{path}.audio.duckRelease", s.Audio.DuckRelease, 0, MaxDuckRamp);
                }
                break;
        }
    }

    // Filters change a picture: base image, video and color pieces, and layers. Text and shapes
    // drawn straight onto the frame have no picture of their own to adjust.
    private static void Filters(Segment s, Filters f, string path, Violations v)
    {
        var visual = s.KindCase is Segment.KindOneofCase.Image or Segment.KindOneofCase.Video or Segment.KindOneofCase.Color
            || (s.Layer is not null && s.KindCase is Segment.KindOneofCase.Text or Segment.KindOneofCase.Shape);
        if (!visual)
        {
            v.Add(path, ErrorReasons.UnsupportedCombination, "filters apply to image, video and color segments, and to text and shape layers.");
        }
        if (f.HasBrightness)
        {
            v.Range($"{path}.brightness", f.Brightness, -1, 1);
        }
        if (f.HasContrast)
        {
            v.Range($"{path}.contrast", f.Contrast, 0, 4);
        }
        if (f.HasSaturation)
        {
            v.Range($"{path}.saturation", f.Saturation, 0, 3);
        }
        v.Range($"{path}.blur", f.Blur, 0, 0.1);
    }

    private static void KenBurns(ImageClip image, KenBurns kb, string path, Violations v)
    {
        if (image.Zoom is not (ImageClip.Types.Zoom.Unspecified or ImageClip.Types.Zoom.None))
        {
            v.Add($"{path}.zoom", ErrorReasons.UnsupportedCombination, "kenBurns replaces zoom: set one of them.");
        }
        if (image.Pan is not ImageClip.Types.Pan.Unspecified)
        {
            v.Add($"{path}.pan", ErrorReasons.UnsupportedCombination, "kenBurns replaces pan: set one of them.");
        }
        Rect(kb.From, $"{path}.kenBurns.from", v);
        Rect(kb.To, $"{path}.kenBurns.to", v);
        v.Enum($"{path}.kenBurns.easing", kb.Easing);
    }

    /// <summary>A non-empty rectangle inside the picture (fractions 0..1).</summary>
    private static void Rect(Rect? r, string path, Violations v)
    {
        if (r is null)
        {
            return;
        }
        v.Range($"{path}.x", r.X, 0, 1);
        v.Range($"{path}.y", r.Y, 0, 1);
        Side($"{path}.width", r.Width, r.X, v);
        Side($"{path}.height", r.Height, r.Y, v);
    }

    private static void Side(string field, double size, double origin, Violations v)
    {
        if (!double.IsFinite(size) || size <= 0 || size > 1)
        {
            v.Add(field, ErrorReasons.OutOfRange, "must be within (0, 1] of the picture.");
        }
        else if (double.IsFinite(origin) && origin + size > 1 + 1e-9)
        {
            v.Add(field, ErrorReasons.OutOfRange, "the rectangle must end inside the picture (origin + size <= 1).");
        }
    }

    private static void ChromaKey(ChromaKey key, string path, Violations v)
    {
        v.Color($"{path}.color", key.Color);
        if (key.HasSimilarity)
        {
            v.Range($"{path}.similarity", key.Similarity, 0.01, 1);
        }
        if (key.HasBlend)
        {
            v.Range($"{path}.blend", key.Blend, 0, 1);
        }
    }
}
