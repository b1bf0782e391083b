using RenderFarm.Contracts.V1;
using Format = RenderFarm.Contracts.V1.OutputSpec.Types.Format;

namespace RenderFarm.Contracts;

/// <summary>What an output format holds: a video, only audio, or only stills.</summary>
public static class OutputKinds
{
    /// <summary>MP3 and WAV: the canvas's sound, no picture.</summary>
    public static bool IsAudioOnly(Format format) => format is Format.Mp3 or Format.Wav;

    /// <summary>PNG and JPEG: stills at output.stillTimes, no video.</summary>
    public static bool IsStills(Format format) => format is Format.Png or Format.Jpeg;

    /// <summary>File extension (no dot) of the output file, or of each still for a still format.</summary>
    public static string Extension(Format format) => format switch
    {
        Format.Webm => "webm",
        Format.Gif => "gif",
        Format.Mp3 => "mp3",
        Format.Wav => "wav",
        Format.Png => "png",
        Format.Jpeg => "jpg",
        _ => "mp4",
    };

    /// <summary>Extension of the stills of <paramref name="output"/>: its own for PNG/JPEG, else JPEG beside a video.</summary>
    public static string StillExtension(OutputSpec output) => output.Format == Format.Png ? "png" : "jpg";

    /// <summary>MIME type of the stills of <paramref name="output"/>.</summary>
    public static string StillContentType(OutputSpec output) => output.Format == Format.Png ? "image/png" : "image/jpeg";

    /// <summary>Whether the output asks for a poster frame.</summary>
    public static bool WantsPoster(OutputSpec output) => output.Poster || output.HasPosterTime;

    /// <summary>File name and MIME type of a sidecar.</summary>
    public static (string FileName, string ContentType) Sidecar(OutputSpec.Types.Sidecar sidecar) => sidecar switch
    {
        OutputSpec.Types.Sidecar.Srt => ("captions.srt", "application/x-subrip"),
        OutputSpec.Types.Sidecar.Vtt => ("captions.vtt", "text/vtt"),
        _ => ("transcript.json", "application/json"),
    };
}
