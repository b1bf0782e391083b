using FFMpegCore;
using RenderFarm.Contracts;

namespace RenderFarm.Node.Rendering;

/// <summary>Reads what ffprobe says of a rendered file.</summary>
internal static class OutputProbe
{
    /// <summary>Facts of a video output, or of an audio-only one (no picture: no size, rate or video codec).</summary>
    public static async Task<OutputFacts> FactsAsync(string path, bool audioOnly, CancellationToken cancellationToken)
    {
        var analysis = await FFProbe.AnalyseAsync(path, null, null, cancellationToken).ConfigureAwait(false);
        if (audioOnly)
        {
            var audio = analysis.PrimaryAudioStream ?? throw new RenderException(ErrorReasons.RenderFailed, "The output has no audio stream.", retryable: true);
            return new OutputFacts(analysis.Format.Duration.TotalSeconds, 0, 0, 0, "", audio.CodecName, new FileInfo(path).Length);
        }
        var video = analysis.PrimaryVideoStream ?? throw new RenderException(ErrorReasons.RenderFailed, "The output has no video stream.", retryable: true);
        return new OutputFacts(
            analysis.Format.Duration.TotalSeconds,
            video.Width ?? 0,
            video.Height ?? 0,
            video.AverageFrameRate,
            video.CodecName ?? "",
            analysis.PrimaryAudioStream?.CodecName,
            new FileInfo(path).Length);
    }
}
