using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using Format = RenderFarm.Contracts.V1.OutputSpec.Types.Format;
using Codec = RenderFarm.Contracts.V1.OutputSpec.Types.VideoCodec;

namespace RenderFarm.CanvasModel;

internal static class OutputValidator
{
    /// <summary>
    /// Fastest GIF frame rate: GIF frame delays are whole hundredths of a second and players (and
    /// FFmpeg's demuxer) show a delay under two hundredths as a tenth, so 60 fps plays at a third of its speed.
    /// </summary>
    public const int MaxGifFps = 50;

    /// <summary>Rules that tie the output to the canvas.</summary>
    public static void ValidateFor(Contracts.V1.Canvas canvas, OutputSpec output, Violations v)
    {
        // Not CanvasFrame.Of: the rest of the canvas may be invalid too, and this must not throw on it.
        var fps = canvas.Fps > 0 ? canvas.Fps : CanvasFrame.DefaultFps;
        if (output.Format == Format.Gif && fps > MaxGifFps)
        {
            v.Add("output.format", ErrorReasons.UnsupportedCombination, $"a GIF plays at most {MaxGifFps} fps: use canvas.fps 24, 25 or 30.");
        }
    }

    public static void Validate(OutputSpec output, Violations v)
    {
        v.Enum("output.format", output.Format);
        v.Enum("output.videoCodec", output.VideoCodec);
        v.Enum("output.quality", output.Quality);
        var ok = (output.Format, output.VideoCodec) switch
        {
            (Format.Gif, _) => true,
            (Format.Webm, Codec.Vp9 or Codec.Unspecified) => true,
            (Format.Webm, _) => false,
            (Format.Mp4 or Format.Unspecified, Codec.Vp9) => false,
            _ => true,
        };
        if (!ok)
        {
            v.Add("output.videoCodec", ErrorReasons.UnsupportedCombination,
                output.Format == Format.Webm ? "WEBM needs VP9." : "MP4 needs H264 or HEVC.");
        }
    }
}
