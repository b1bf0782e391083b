using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using Format = RenderFarm.Contracts.V1.OutputSpec.Types.Format;
using Codec = RenderFarm.Contracts.V1.OutputSpec.Types.VideoCodec;

namespace RenderFarm.CanvasModel;

internal static class OutputValidator
{
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
