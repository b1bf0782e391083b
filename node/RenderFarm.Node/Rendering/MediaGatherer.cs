using System.Text.RegularExpressions;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Speech;

namespace RenderFarm.Node.Rendering;

/// <summary>Fetches and probes every segment's media and synthesises speech, keyed by segment index.</summary>
internal sealed partial class MediaGatherer(IMediaSource source, SpeechSynthesizer speech)
{
    /// <param name="pins">Receives a pin per media file; dispose them once FFmpeg is done with the files.</param>
    public async Task<Dictionary<int, LocalMedia>> GatherAsync(Contracts.V1.Canvas canvas, string scratch, ICollection<IDisposable> pins, CancellationToken cancellationToken)
    {
        var media = new Dictionary<int, LocalMedia>();
        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            var s = canvas.Segments[i];
            var src = s.KindCase switch
            {
                Segment.KindOneofCase.Video => s.Video.Src,
                Segment.KindOneofCase.Image => s.Image.Src,
                Segment.KindOneofCase.Audio => s.Audio.Src,
                _ => null,
            };
            if (src is not null)
            {
                pins.Add(source.Pin(src));
                media[i] = Checked(await source.GetAsync(src, cancellationToken).ConfigureAwait(false), i);
            }
            else if (s.KindCase == Segment.KindOneofCase.Speech)
            {
                var wav = Path.Combine(scratch, $"speech{i}.wav");
                var (duration, words) = await speech.SynthesizeAsync(s.Speech, wav, cancellationToken).ConfigureAwait(false);
                media[i] = new LocalMedia(wav, "wav", duration, false, true, 0, 0, 0, 0, false, words);
            }
        }
        return media;
    }

    // The format is forced on FFmpeg's command line: it must be a demuxer name, nothing else.
    private static LocalMedia Checked(LocalMedia media, int index) =>
        DemuxerName().IsMatch(media.Format) && Path.IsPathFullyQualified(media.Path)
            ? media
            : throw new RenderException(ErrorReasons.MediaUnsupported, $"canvas.segments[{index}]: unusable probe result '{media.Format}'.");

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex DemuxerName();
}
