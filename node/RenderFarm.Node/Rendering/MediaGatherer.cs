using System.Text.RegularExpressions;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.TextToSpeech;

namespace RenderFarm.Node.Rendering;

/// <summary>Fetches and probes every segment's media and synthesises speech and narrations, keyed by segment index.</summary>
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
                media[i] = await SpeakAsync(s.Speech, Path.Combine(scratch, $"speech{i}.wav"), cancellationToken).ConfigureAwait(false);
            }
        }
        return media;
    }

    /// <summary>Synthesises the narration of every narrated base segment, keyed by that segment's index.</summary>
    public async Task<Dictionary<int, LocalMedia>> NarrateAsync(Contracts.V1.Canvas canvas, string scratch, CancellationToken cancellationToken)
    {
        var narrations = new Dictionary<int, LocalMedia>();
        foreach (var i in Narrations.Narrated(canvas))
        {
            narrations[i] = await SpeakAsync(canvas.Segments[i].Narration, Path.Combine(scratch, $"narration{i}.wav"), cancellationToken).ConfigureAwait(false);
        }
        return narrations;
    }

    private async Task<LocalMedia> SpeakAsync(Contracts.V1.Speech spoken, string wav, CancellationToken cancellationToken)
    {
        try
        {
            var (duration, words) = await speech.SynthesizeAsync(spoken, wav, cancellationToken).ConfigureAwait(false);
            return new LocalMedia(wav, "wav", duration, false, true, 0, 0, 0, 0, false, words);
        }
        catch (SpeechException e)
        {
            throw new RenderException(e.Code, e.Message, e.Retryable, e);
        }
    }

    // The format is forced on FFmpeg's command line: it must be a demuxer name, nothing else.
    private static LocalMedia Checked(LocalMedia media, int index) =>
        DemuxerName().IsMatch(media.Format) && Path.IsPathFullyQualified(media.Path)
            ? media
            : throw new RenderException(ErrorReasons.MediaUnsupported, $"canvas.segments[{index}]: unusable probe result '{media.Format}'.");

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex DemuxerName();
}
