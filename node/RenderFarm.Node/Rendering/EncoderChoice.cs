using RenderFarm.Contracts.V1;
using Codec = RenderFarm.Contracts.V1.OutputSpec.Types.VideoCodec;
using Format = RenderFarm.Contracts.V1.OutputSpec.Types.Format;
using Quality = RenderFarm.Contracts.V1.OutputSpec.Types.Quality;

namespace RenderFarm.Node.Rendering;

/// <summary>The encoder and container settings of one output.</summary>
/// <param name="Encoder">FFmpeg encoder name, e.g. libx264.</param>
/// <param name="Extension">Output file extension without the dot.</param>
/// <param name="ContentType">MIME type of the output.</param>
/// <param name="AudioEncoder">Audio encoder, or null where the container carries no audio.</param>
/// <param name="VideoArguments">Encoder options (codec, rate control, pixel format, muxer flags).</param>
public sealed record EncoderSettings(string Encoder, string Extension, string ContentType, string? AudioEncoder, IReadOnlyList<string> VideoArguments);

/// <summary>Picks the encoder for an output spec from the encoders that work on this node.</summary>
public static class EncoderChoice
{
    /// <summary>
    /// Settings for <paramref name="output"/>: an encoder the production requires
    /// (<paramref name="required"/>, from its placement) when one fits the codec; otherwise hardware
    /// H.264/HEVC when listed in <paramref name="encoders"/> (it passed the node's 1-frame probe),
    /// else software.
    /// </summary>
    public static EncoderSettings For(OutputSpec output, IReadOnlyCollection<string> encoders, string preset, IReadOnlyCollection<string>? required = null)
    {
        var quality = output.Quality == Quality.Unspecified ? Quality.Standard : output.Quality;
        var crf = quality switch { Quality.Draft => 28, Quality.High => 18, _ => 23 };
        var codec = output.VideoCodec != Codec.Unspecified ? output.VideoCodec : output.Format == Format.Webm ? Codec.Vp9 : Codec.H264;
        switch (output.Format)
        {
            case Format.Gif:
                return new("gif", "gif", "image/gif", null, ["-c:v", "gif", "-loop", "0"]);
            case Format.Mp3:
                return new("libmp3lame", "mp3", "audio/mpeg", "libmp3lame", []);
            case Format.Wav:
                return new("pcm_s16le", "wav", "audio/wav", "pcm_s16le", []);
            case Format.Webm:
                var vp9Crf = quality switch { Quality.Draft => 40, Quality.High => 24, _ => 32 };
                return new("libvpx-vp9", "webm", "video/webm", "libopus",
                    ["-c:v", "libvpx-vp9", "-crf", $"{vp9Crf}", "-b:v", "0", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-pix_fmt", "yuv420p"]);
        }
        var (hardware, software) = codec == Codec.Hevc ? ("hevc_nvenc", "libx265") : ("h264_nvenc", "libx264");
        var tag = codec == Codec.Hevc ? new[] { "-tag:v", "hvc1" } : [];
        string[] common = ["-pix_fmt", "yuv420p", "-movflags", "+faststart", .. tag];
        var useHardware = required?.Contains(hardware) == true
            || (required?.Contains(software) != true && encoders.Contains(hardware));
        return useHardware
            ? new(hardware, "mp4", "video/mp4", "aac", ["-c:v", hardware, "-preset", "p4", "-rc", "vbr", "-cq", $"{crf}", "-b:v", "0", .. common])
            : new(software, "mp4", "video/mp4", "aac", ["-c:v", software, "-preset", preset, "-crf", $"{crf}", .. common]);
    }
}
