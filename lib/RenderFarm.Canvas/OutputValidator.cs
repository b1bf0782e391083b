using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using Codec = RenderFarm.Contracts.V1.OutputSpec.Types.VideoCodec;
using Format = RenderFarm.Contracts.V1.OutputSpec.Types.Format;

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

        ValidateKinds(output, v);
        ValidateTimes(output, v);
        ValidateSidecars(output, v);
        ChunkPlanner.Validate(output, v);
    }

    // Audio-only and still formats carry no video stream; audio carries no picture at all.
    private static void ValidateKinds(OutputSpec output, Violations v)
    {
        var audio = OutputKinds.IsAudioOnly(output.Format);
        var stills = OutputKinds.IsStills(output.Format);
        if ((audio || stills) && output.VideoCodec != Codec.Unspecified)
        {
            v.Add("output.videoCodec", ErrorReasons.OutputFormatMismatch, $"{output.Format.ToString().ToUpperInvariant()} has no video stream; leave videoCodec unset.");
        }
        if (audio && output.StillTimes.Count > 0)
        {
            v.Add("output.stillTimes", ErrorReasons.OutputFormatMismatch, $"{output.Format.ToString().ToUpperInvariant()} is audio only: it has no frames to take stills of.");
        }
        if ((audio || stills) && output.Poster)
        {
            v.Add("output.poster", ErrorReasons.OutputFormatMismatch, $"{output.Format.ToString().ToUpperInvariant()} output has no poster.");
        }
        if ((audio || stills) && output.HasPosterTime)
        {
            v.Add("output.posterTime", ErrorReasons.OutputFormatMismatch, $"{output.Format.ToString().ToUpperInvariant()} output has no poster.");
        }
        if (stills && output.StillTimes.Count == 0)
        {
            v.Add("output.stillTimes", ErrorReasons.FieldRequired, $"a {output.Format.ToString().ToUpperInvariant()} output is its stills: give at least one time.");
        }
    }

    private static void ValidateTimes(OutputSpec output, Violations v)
    {
        if (output.StillTimes.Count > CanvasLimits.MaxStills)
        {
            v.Add("output.stillTimes", ErrorReasons.TooManyStills, $"at most {CanvasLimits.MaxStills} stills.");
        }
        for (var i = 0; i < output.StillTimes.Count; i++)
        {
            v.Range($"output.stillTimes[{i}]", output.StillTimes[i], 0, CanvasLimits.MaxTotalSeconds);
        }
        if (output.HasPosterTime)
        {
            v.Range("output.posterTime", output.PosterTime, 0, CanvasLimits.MaxTotalSeconds);
        }
    }

    private static void ValidateSidecars(OutputSpec output, Violations v)
    {
        var seen = new HashSet<OutputSpec.Types.Sidecar>();
        for (var i = 0; i < output.Sidecars.Count; i++)
        {
            var sidecar = output.Sidecars[i];
            if (sidecar == OutputSpec.Types.Sidecar.Unspecified || !Enum.IsDefined(sidecar))
            {
                v.Add($"output.sidecars[{i}]", ErrorReasons.InvalidEnum, "must be SRT, VTT or TRANSCRIPT_JSON.");
            }
            else if (!seen.Add(sidecar))
            {
                v.Add($"output.sidecars[{i}]", ErrorReasons.DuplicateValue, $"{sidecar} is asked for twice.");
            }
        }
    }
}
