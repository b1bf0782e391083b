using System.Text.RegularExpressions;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using Format = RenderFarm.Contracts.V1.OutputSpec.Types.Format;
using Preset = RenderFarm.Contracts.V1.Rendition.Types.Preset;

namespace RenderFarm.CanvasModel;

/// <summary>
/// A production's renditions: the rules a request's <c>renditions[]</c> must meet, and the canvas
/// each one renders (the same canvas laid out in the rendition's frame).
/// </summary>
public static partial class Renditions
{
    /// <summary>Most renditions one production may ask for.</summary>
    public const int MaxCount = 8;

    /// <summary>Caption and text font size when the canvas names none (the compilers' default).</summary>
    private const int DefaultFontSize = 48;

    /// <summary>Caption outline width when the canvas names none (the compilers' default).</summary>
    private const double DefaultOutlineWidth = 3;

    /// <summary>The size of a preset, or null for <c>PRESET_UNSPECIFIED</c> and unknown values.</summary>
    public static (int Width, int Height)? PresetSize(Preset preset) => preset switch
    {
        Preset.Landscape1080 => (1920, 1080),
        Preset.Portrait1080 => (1080, 1920),
        Preset.Square1080 => (1080, 1080),
        Preset.Portrait451080 => (1080, 1350),
        Preset.Landscape720 => (1280, 720),
        Preset.Portrait720 => (720, 1280),
        Preset.Square720 => (720, 720),
        _ => null,
    };

    /// <summary>The frame size of a valid rendition: its preset's, else its width and height.</summary>
    public static (int Width, int Height) Size(Rendition rendition) =>
        PresetSize(rendition.Preset) ?? (rendition.Width, rendition.Height);

    /// <summary>The focus point of a rendition, (0.5, 0.5) where it names none.</summary>
    public static (double X, double Y) Focus(Rendition rendition) =>
        (rendition.Focus is { HasX: true } fx ? fx.X : 0.5, rendition.Focus is { HasY: true } fy ? fy.Y : 0.5);

    /// <summary>The output a rendition encodes with: the production's, with the rendition's format, codec and quality.</summary>
    public static OutputSpec OutputFor(OutputSpec main, Rendition rendition)
    {
        var own = rendition.Output;
        var output = new OutputSpec { Format = main.Format, VideoCodec = main.VideoCodec, Quality = main.Quality };
        if (own is null)
        {
            return output;
        }

        if (own.Format != Format.Unspecified)
        {
            output.Format = own.Format;
            output.VideoCodec = own.Format == Format.Webm ? OutputSpec.Types.VideoCodec.Vp9 : OutputSpec.Types.VideoCodec.H264;
        }

        if (own.VideoCodec != OutputSpec.Types.VideoCodec.Unspecified)
        {
            output.VideoCodec = own.VideoCodec;
        }

        if (own.Quality != OutputSpec.Types.Quality.Unspecified)
        {
            output.Quality = own.Quality;
        }

        return output;
    }

    /// <summary>
    /// The canvas as <paramref name="rendition"/> renders it: the rendition's frame size; pixel
    /// sizes (font sizes, caption outlines) scaled by the smaller ratio of the two frames' sides,
    /// so text wraps and fits as it does in the canvas's own frame; base media with the
    /// rendition's fit when it names one.
    /// </summary>
    public static Contracts.V1.Canvas CanvasFor(Contracts.V1.Canvas canvas, Rendition rendition)
    {
        var own = CanvasFrame.Of(canvas);
        var (width, height) = Size(rendition);
        var scale = Math.Min(width / (double)own.Width, height / (double)own.Height);
        var laid = canvas.Clone();
        (laid.Preset, laid.Width, laid.Height) = (Contracts.V1.Canvas.Types.Preset.Unspecified, width, height);
        foreach (var s in laid.Segments)
        {
            switch (s.KindCase)
            {
                case Segment.KindOneofCase.Text:
                    s.Text.FontSize = ScaledFont(s.Text.FontSize, scale);
                    break;
                case Segment.KindOneofCase.Captions:
                    s.Captions.FontSize = ScaledFont(s.Captions.FontSize, scale);
                    s.Captions.OutlineWidth = Math.Min(CanvasLimits.MaxCaptionOutlineWidth, (s.Captions.HasOutlineWidth ? s.Captions.OutlineWidth : DefaultOutlineWidth) * scale);
                    break;
                case Segment.KindOneofCase.Video when s.Layer is null && rendition.Fit != Fit.Unspecified:
                    s.Video.Fit = rendition.Fit;
                    break;
                case Segment.KindOneofCase.Image when s.Layer is null && rendition.Fit != Fit.Unspecified:
                    s.Image.Fit = rendition.Fit;
                    break;
            }
        }

        return laid;
    }

    private static int ScaledFont(int size, double scale) =>
        Math.Clamp((int)Math.Round((size > 0 ? size : DefaultFontSize) * scale), CanvasLimits.MinFontSize, CanvasLimits.MaxFontSize);

    /// <summary>
    /// Whether <paramref name="rendition"/> renders exactly the main output (same frame, fit,
    /// focus and encoding): its file is then a copy of the main output's, not a second encode.
    /// </summary>
    public static bool SameAsMain(Contracts.V1.Canvas canvas, OutputSpec main, Rendition rendition)
    {
        var own = CanvasFrame.Of(canvas);
        var output = OutputFor(main, rendition);
        return Size(rendition) == (own.Width, own.Height) && rendition.Fit == Fit.Unspecified && Focus(rendition) == (0.5, 0.5)
            && (output.Format, output.VideoCodec, output.Quality) == (main.Format, main.VideoCodec, main.Quality);
    }

    /// <summary>Under this share of base media kept by a crop, a rendition without a focus is warned about.</summary>
    private const double HeavyCrop = 0.5;

    /// <summary>
    /// What a plan says of valid renditions: a crop that keeps little of the canvas's picture with
    /// no focus to steer it, and a focus that changes nothing.
    /// </summary>
    public static IEnumerable<PlanWarning> Warnings(Contracts.V1.Canvas canvas, IReadOnlyList<Rendition> renditions)
    {
        var own = CanvasFrame.Of(canvas);
        var media = canvas.Segments.Where(s => s.Layer is null && s.KindCase is Segment.KindOneofCase.Image or Segment.KindOneofCase.Video).ToList();
        for (var i = 0; i < renditions.Count; i++)
        {
            var r = renditions[i];
            var (w, h) = Size(r);
            var cropping = media.Where(s => Crops(r.Fit != Fit.Unspecified ? r.Fit : s.KindCase == Segment.KindOneofCase.Image ? s.Image.Fit : s.Video.Fit)).ToList();
            var kept = Math.Min(w / (double)h / (own.Width / (double)own.Height), own.Width / (double)own.Height / (w / (double)h));
            if (r.Focus is null && cropping.Count > 0 && kept < HeavyCrop)
            {
                yield return new PlanWarning(PlanWarnings.RenditionHeavyCrop, $"renditions[{i}]",
                    $"filling {w}x{h} crops media framed for {own.Width}x{own.Height} to about {Math.Round(kept * 100)}% of its {(w * own.Height < h * own.Width ? "width" : "height")}; set focus to keep the subject in view.");
            }
            else if (r.Focus is not null && cropping.Count == 0)
            {
                yield return new PlanWarning(PlanWarnings.RenditionFocusIgnored, $"renditions[{i}].focus",
                    media.Count == 0 ? "the canvas has no base image or video to crop." : $"fit {r.Fit} does not crop the media, so the focus changes nothing.");
            }
        }
    }

    private static bool Crops(Fit fit) => fit is Fit.Unspecified or Fit.Cover;

    /// <summary>Every rule <paramref name="renditions"/> breaks, with field paths under <c>renditions[i]</c>.</summary>
    public static List<FieldViolation> Validate(IReadOnlyList<Rendition> renditions, OutputSpec? output)
    {
        var v = new Violations();
        if (renditions.Count == 0)
        {
            return v.List;
        }

        if (renditions.Count > MaxCount)
        {
            v.Add("renditions", ErrorReasons.TooManyRenditions, $"at most {MaxCount} renditions per production.");
        }

        var format = output?.Format ?? Format.Unspecified;
        if (format is not (Format.Unspecified or Format.Mp4 or Format.Webm))
        {
            v.Add("output.format", ErrorReasons.RenditionOutputUnsupported, "renditions need a video output: MP4 or WEBM.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < renditions.Count; i++)
        {
            ValidateOne(renditions[i], $"renditions[{i}]", names, v);
        }

        return v.List;
    }

    private static void ValidateOne(Rendition r, string path, HashSet<string> names, Violations v)
    {
        if (!NamePattern().IsMatch(r.Name))
        {
            v.Add($"{path}.name", ErrorReasons.InvalidRenditionName, "must be 1..63 characters of letters, digits, '_' and '-'.");
        }
        else if (!names.Add(r.Name))
        {
            v.Add($"{path}.name", ErrorReasons.DuplicateValue, $"another rendition is named '{r.Name}'.");
        }

        ValidateSize(r, path, v);
        if (r.Focus is { } focus)
        {
            if (focus.HasX)
            {
                v.Range($"{path}.focus.x", focus.X, 0, 1);
            }

            if (focus.HasY)
            {
                v.Range($"{path}.focus.y", focus.Y, 0, 1);
            }
        }

        v.Enum($"{path}.fit", r.Fit);
        if (r.Output is { } output)
        {
            v.Enum($"{path}.output.format", output.Format);
            v.Enum($"{path}.output.videoCodec", output.VideoCodec);
            v.Enum($"{path}.output.quality", output.Quality);
            if (output.Format is not (Format.Unspecified or Format.Mp4 or Format.Webm))
            {
                v.Add($"{path}.output.format", ErrorReasons.RenditionOutputUnsupported, "a rendition is MP4 or WEBM.");
            }
            else if (output.Format == Format.Webm && output.VideoCodec is not (OutputSpec.Types.VideoCodec.Unspecified or OutputSpec.Types.VideoCodec.Vp9))
            {
                v.Add($"{path}.output.videoCodec", ErrorReasons.UnsupportedCombination, "WEBM needs VP9.");
            }
            else if (output.Format != Format.Webm && output.VideoCodec == OutputSpec.Types.VideoCodec.Vp9)
            {
                v.Add($"{path}.output.videoCodec", ErrorReasons.UnsupportedCombination, "MP4 needs H264 or HEVC.");
            }

            if (output.StillTimes.Count > 0 || output.Sidecars.Count > 0 || output.Poster || output.HasPosterTime)
            {
                v.Add($"{path}.output", ErrorReasons.RenditionOutputUnsupported, "stills, poster and sidecars belong to the production's output; a rendition sets format, videoCodec and quality.");
            }
        }
    }

    private static void ValidateSize(Rendition r, string path, Violations v)
    {
        v.Enum($"{path}.preset", r.Preset);
        var sized = r.Width != 0 || r.Height != 0;
        if (r.Preset != Preset.Unspecified)
        {
            if (sized)
            {
                v.Add($"{path}.preset", ErrorReasons.InvalidRenditionSize, "give a preset or width and height, not both.");
            }

            return;
        }

        if (!sized)
        {
            v.Add($"{path}.preset", ErrorReasons.InvalidRenditionSize, "a preset or width and height is required.");
            return;
        }

        foreach (var (field, value) in new[] { ("width", r.Width), ("height", r.Height) })
        {
            if (value is < CanvasLimits.MinSide or > CanvasLimits.MaxSide || value % 2 != 0)
            {
                v.Add($"{path}.{field}", ErrorReasons.InvalidRenditionSize, $"must be even and within {CanvasLimits.MinSide}..{CanvasLimits.MaxSide}.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex NamePattern();
}
