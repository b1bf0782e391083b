using FFMpegCore;
using RenderFarm.Contracts;

namespace RenderFarm.Node.Rendering;

/// <summary>Reads what ffprobe says of a rendered file.</summary>
internal static class OutputProbe
{
    public static async Task<OutputFacts> FactsAsync(string path, CancellationToken cancellationToken)
    {
        var analysis = await FFProbe.AnalyseAsync(path, null, null, cancellationToken).ConfigureAwait(false);
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
