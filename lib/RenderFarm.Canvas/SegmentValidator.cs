using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

internal static class SegmentValidator
{
    public static void Validate(Segment s, string path, Violations v)
    {
        if (s.HasStart && (!double.IsFinite(s.Start) || s.Start < 0 || s.Start > CanvasLimits.MaxTotalSeconds))
        {
            v.Add($"{path}.start", ErrorReasons.OutOfRange, "must be a finite number >= 0.");
        }
        if (s.HasDuration && (!double.IsFinite(s.Duration) || s.Duration <= 0 || s.Duration > CanvasLimits.MaxTotalSeconds))
        {
            v.Add($"{path}.duration", ErrorReasons.OutOfRange, "must be a finite number > 0.");
        }
        if (s.Transition is { } t)
        {
            if (!SegmentKinds.IsBase(s))
            {
                v.Add($"{path}.transition", ErrorReasons.UnsupportedCombination, "only video, image and color segments take a transition.");
            }
            v.Range($"{path}.transition.duration", t.Duration, 0, CanvasLimits.MaxTotalSeconds);
            v.Enum($"{path}.transition.kind", t.Kind);
        }
        if (s.Layer is { } layer)
        {
            LayerValidator.Validate(s, layer, path, v);
        }
        switch (s.KindCase)
        {
            case Segment.KindOneofCase.None:
                v.Add(path, ErrorReasons.SegmentKindMissing, "set exactly one of video, image, color, text, shape, audio, speech, captions.");
                break;
            case Segment.KindOneofCase.Video:
                Video(s.Video, $"{path}.video", v);
                break;
            case Segment.KindOneofCase.Image:
                v.Source($"{path}.image.src", s.Image.Src);
                v.Enum($"{path}.image.fit", s.Image.Fit);
                v.Enum($"{path}.image.zoom", s.Image.Zoom);
                v.Enum($"{path}.image.pan", s.Image.Pan);
                RequireDuration(s, path, v);
                break;
            case Segment.KindOneofCase.Color:
                if (string.IsNullOrEmpty(s.Color.Color))
                {
                    v.Add($"{path}.color.color", ErrorReasons.FieldRequired, "a color is required.");
                }
                v.Color($"{path}.color.color", s.Color.Color);
                RequireDuration(s, path, v);
                break;
            case Segment.KindOneofCase.Text:
                Text(s.Text, $"{path}.text", v);
                break;
            case Segment.KindOneofCase.Shape:
                Shape(s.Shape, $"{path}.shape", v, layered: s.Layer is not null);
                break;
            case Segment.KindOneofCase.Audio:
                Audio(s.Audio, $"{path}.audio", v);
                break;
            case Segment.KindOneofCase.Speech:
                Speech(s.Speech, $"{path}.speech", v);
                break;
            case Segment.KindOneofCase.Captions:
                Captions(s.Captions, $"{path}.captions", v);
                break;
        }
        Narrations.Validate(s, path, v);
        MotionValidator.Validate(s, path, v);
    }

    private static void RequireDuration(Segment s, string path, Violations v)
    {
        // A layer without a duration lasts to the end of the video, like an overlay; a narrated segment as long as its narration.
        if (!s.HasDuration && s.Layer is null && s.Narration is null)
        {
            v.Add($"{path}.duration", ErrorReasons.FieldRequired, "color and image segments need a duration (or a narration).");
        }
    }

    private static void Video(VideoClip c, string path, Violations v)
    {
        v.Source($"{path}.src", c.Src);
        v.Range($"{path}.trimStart", c.TrimStart, 0, CanvasLimits.MaxTotalSeconds);
        if (c.HasVolume)
        {
            v.Range($"{path}.volume", c.Volume, 0, 10);
        }
        if (c.HasSpeed)
        {
            v.Range($"{path}.speed", c.Speed, CanvasLimits.MinSpeed, CanvasLimits.MaxSpeed);
        }
        v.Enum($"{path}.fit", c.Fit);
    }

    private static void Text(TextOverlay t, string path, Violations v)
    {
        v.Text($"{path}.text", t.Text, required: true);
        if (t.FontSize != 0)
        {
            v.Range($"{path}.fontSize", t.FontSize, CanvasLimits.MinFontSize, CanvasLimits.MaxFontSize);
        }
        v.Color($"{path}.color", t.Color);
        v.Color($"{path}.backgroundColor", t.BackgroundColor);
        v.Enum($"{path}.position", t.Position);
        v.Enum($"{path}.align", t.Align);
        if (t.HasX)
        {
            v.Range($"{path}.x", t.X, 0, 1);
        }
        if (t.HasY)
        {
            v.Range($"{path}.y", t.Y, 0, 1);
        }
        if (t.HasMaxWidth && (!double.IsFinite(t.MaxWidth) || t.MaxWidth <= 0 || t.MaxWidth > 1))
        {
            v.Add($"{path}.maxWidth", ErrorReasons.OutOfRange, "must be within (0, 1].");
        }
        v.Range($"{path}.fadeIn", t.FadeIn, 0, CanvasLimits.MaxTotalSeconds);
        v.Range($"{path}.fadeOut", t.FadeOut, 0, CanvasLimits.MaxTotalSeconds);
        if (t.FontFamily.Length > 200)
        {
            v.Add($"{path}.fontFamily", ErrorReasons.TooLong, "at most 200 characters.");
        }
    }

    private static void Shape(ShapeOverlay s, string path, Violations v, bool layered)
    {
        v.Enum($"{path}.kind", s.Kind);
        if (layered)
        {
            // A shape layer fills the layer's box: its own geometry is not used.
            ShapeColor(s, path, v);
            return;
        }
        v.Range($"{path}.x", s.X, -1, 1);
        v.Range($"{path}.y", s.Y, -1, 1);
        if (!double.IsFinite(s.Width) || s.Width <= 0 || s.Width > 2)
        {
            v.Add($"{path}.width", ErrorReasons.OutOfRange, "must be within (0, 2] of the frame width.");
        }
        if (!double.IsFinite(s.Height) || s.Height <= 0 || s.Height > 2)
        {
            v.Add($"{path}.height", ErrorReasons.OutOfRange, "must be within (0, 2] of the frame height.");
        }
        ShapeColor(s, path, v);
    }

    private static void ShapeColor(ShapeOverlay s, string path, Violations v)
    {
        if (string.IsNullOrEmpty(s.Color))
        {
            v.Add($"{path}.color", ErrorReasons.FieldRequired, "a fill color is required.");
        }
        v.Color($"{path}.color", s.Color);
    }

    private static void Audio(AudioTrack a, string path, Violations v)
    {
        v.Source($"{path}.src", a.Src);
        if (a.HasVolume)
        {
            v.Range($"{path}.volume", a.Volume, 0, 10);
        }
        v.Range($"{path}.trimStart", a.TrimStart, 0, CanvasLimits.MaxTotalSeconds);
        v.Range($"{path}.fadeIn", a.FadeIn, 0, CanvasLimits.MaxTotalSeconds);
        v.Range($"{path}.fadeOut", a.FadeOut, 0, CanvasLimits.MaxTotalSeconds);
    }

    internal static void Speech(Speech sp, string path, Violations v)
    {
        v.Text($"{path}.text", sp.Text, required: true);
        if (sp.Rate != 0)
        {
            v.Range($"{path}.rate", sp.Rate, CanvasLimits.MinSpeechRate, CanvasLimits.MaxSpeechRate);
        }
        if (sp.HasVolume)
        {
            v.Range($"{path}.volume", sp.Volume, 0, 10);
        }
        // The voice reaches espeak-ng as an argument: keep it to voice-name characters.
        if (sp.Voice.Length > 40 || sp.Voice.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+')))
        {
            v.Add($"{path}.voice", ErrorReasons.OutOfRange, "must be a voice name such as en, en-us or de.");
        }
    }

    private static void Captions(Captions c, string path, Violations v)
    {
        v.Enum($"{path}.source", c.Source);
        v.Enum($"{path}.style", c.Style);
        v.Enum($"{path}.position", c.Position);
        v.Color($"{path}.color", c.Color);
        v.Color($"{path}.highlightColor", c.HighlightColor);
        CaptionStyleRules.Validate(c, path, v);
        if (c.FontSize != 0)
        {
            v.Range($"{path}.fontSize", c.FontSize, CanvasLimits.MinFontSize, CanvasLimits.MaxFontSize);
        }
        if (c.Source == Contracts.V1.Captions.Types.Source.Explicit && c.Words.Count == 0)
        {
            v.Add($"{path}.words", ErrorReasons.FieldRequired, "EXPLICIT captions list their words.");
        }
        if (c.Source != Contracts.V1.Captions.Types.Source.Explicit && c.Words.Count > 0)
        {
            v.Add($"{path}.words", ErrorReasons.UnsupportedCombination, "words are only given with source EXPLICIT.");
        }
        if (c.Words.Count > CanvasLimits.MaxCaptionWords)
        {
            v.Add($"{path}.words", ErrorReasons.TooLong, $"at most {CanvasLimits.MaxCaptionWords} words.");
            return;
        }
        for (var i = 0; i < c.Words.Count; i++)
        {
            var w = c.Words[i];
            var wp = $"{path}.words[{i}]";
            v.Text($"{wp}.text", w.Text, required: true);
            v.Range($"{wp}.start", w.Start, 0, CanvasLimits.MaxTotalSeconds);
            if (!double.IsFinite(w.End) || w.End <= w.Start)
            {
                v.Add($"{wp}.end", ErrorReasons.OutOfRange, "must be after start.");
            }
        }
    }
}
