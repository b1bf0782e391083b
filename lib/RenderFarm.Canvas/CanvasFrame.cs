using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>The frame a canvas renders into, with defaults applied.</summary>
public sealed record CanvasFrame(int Width, int Height, int Fps, RgbaColor Background)
{
    /// <summary>Frames per second when the canvas names none.</summary>
    public const int DefaultFps = 30;

    /// <summary>
    /// The point of base media (fractions of its width and height) kept in view when it is cropped
    /// to fill the frame: centred where it can be, the crop held inside the picture. A rendition's focus.
    /// </summary>
    public (double X, double Y) Focus { get; init; } = (0.5, 0.5);

    /// <summary>Width when neither a preset nor a size is given.</summary>
    public const int DefaultWidth = 1920;

    /// <summary>Height when neither a preset nor a size is given.</summary>
    public const int DefaultHeight = 1080;

    /// <summary>The frame of <paramref name="canvas"/>: explicit size, else preset, else 1920x1080.</summary>
    /// <exception cref="FormatException">The background color is invalid (validate first).</exception>
    public static CanvasFrame Of(Contracts.V1.Canvas canvas)
    {
        var (width, height) = canvas is { Width: > 0, Height: > 0 }
            ? (canvas.Width, canvas.Height)
            : PresetSize(canvas.Preset) ?? (DefaultWidth, DefaultHeight);
        var fps = canvas.Fps > 0 ? canvas.Fps : DefaultFps;
        return new CanvasFrame(width, height, fps, RgbaColor.ParseOrDefault(canvas.BackgroundColor, RgbaColor.Black));
    }

    /// <summary>The size of a preset, or null for <c>PRESET_UNSPECIFIED</c> and unknown values.</summary>
    public static (int Width, int Height)? PresetSize(Contracts.V1.Canvas.Types.Preset preset) => preset switch
    {
        Contracts.V1.Canvas.Types.Preset.YoutubeShort or Contracts.V1.Canvas.Types.Preset.InstagramReel
            or Contracts.V1.Canvas.Types.Preset.InstagramStory or Contracts.V1.Canvas.Types.Preset.Tiktok => (1080, 1920),
        Contracts.V1.Canvas.Types.Preset.YoutubeLandscape or Contracts.V1.Canvas.Types.Preset.FullHd => (1920, 1080),
        Contracts.V1.Canvas.Types.Preset.InstagramFeed => (1080, 1080),
        Contracts.V1.Canvas.Types.Preset.Hd => (1280, 720),
        Contracts.V1.Canvas.Types.Preset.Uhd4K => (3840, 2160),
        _ => null,
    };
}
