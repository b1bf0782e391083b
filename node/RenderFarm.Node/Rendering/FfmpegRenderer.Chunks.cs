using FFMpegCore;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering;

// Chunked rendering: a chunk's graph is compiled for its window of frames. It leaves out what shows
// only outside the window and starts its picture at the first piece of the base track the window
// needs (a clip seeked to the window's first frame, a smart zoom at the piece of its motion that
// holds it), with absolute timestamps, so transitions, keyframes, Ken Burns, text animations and
// captions that cross its start look exactly as in one render; the frames before the window are
// dropped at the end. It has no sound: the join concatenates the chunks without
// re-encoding (each starts with a keyframe: it is the first frame its encoder saw) and encodes
// the sound, rendered once for the whole video, as a single render would.
internal sealed partial class FfmpegRenderer
{
    private const string ChunkLabel = "chunk";

    // origin: the absolute number of the graph's first frame.
    private static (string Script, string Video, string? Audio) Cut(string script, string video, string? audio, ChunkFrames chunk, long origin)
    {
        var cut = $"[{video}]trim=start_frame={chunk.StartFrame - origin}:end_frame={chunk.EndFrame - origin},setpts=PTS-STARTPTS[{ChunkLabel}]";
        var mute = audio is null ? "" : $";\n[{audio}]anullsink";
        return ($"{script.TrimEnd()};\n{cut}{mute}\n", ChunkLabel, null);
    }

    public async Task<RenderedFiles> JoinAsync(RenderRequest request, IReadOnlyList<string> chunks, string sound, IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        var (_, encoder) = Begin(request);
        var list = Path.Combine(request.WorkDirectory, "chunks.txt");
        // Bare file names beside the list: the concat demuxer's safe mode opens nothing else.
        await File.WriteAllLinesAsync(list, chunks.Select(c => $"file '{Path.GetFileName(c)}'"), cancellationToken).ConfigureAwait(false);
        var outputPath = Path.Combine(request.WorkDirectory, $"output.{encoder.Extension}");
        var audio = encoder.AudioEncoder ?? throw new RenderException(ErrorReasons.InvalidCanvas, $"{request.Output.Format} has no sound to join.");
        List<string> arguments = ["-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", audio, "-b:a", $"{options.Value.AudioBitrate}"];
        // The muxer's flags and the codec tag as a single render writes them.
        for (var i = 0; i + 1 < encoder.VideoArguments.Count; i++)
        {
            if (encoder.VideoArguments[i] is "-movflags" or "-tag:v")
            {
                arguments.AddRange([encoder.VideoArguments[i], encoder.VideoArguments[i + 1]]);
            }
        }

        progress.Report(new RenderStatus("joining", 0, 0));
        var joined = await FFMpegArguments
            .FromFileInput(list, false, o => o.WithCustomArgument("-hide_banner -protocol_whitelist file -f concat"))
            .AddFileInput(sound, false, o => o.WithCustomArgument("-protocol_whitelist file -f wav"))
            .OutputToFile(outputPath, true, o => o.WithCustomArgument(string.Join(' ', arguments)))
            .CancellableThrough(cancellationToken, TimeSpan.Zero)
            .ProcessAsynchronously(false, null, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (joined.ExitCode != 0 || !File.Exists(outputPath))
        {
            throw new RenderException(ErrorReasons.RenderFailed, $"ffmpeg could not join {chunks.Count} chunks.", retryable: true);
        }

        var facts = await OutputProbe.FactsAsync(outputPath, false, cancellationToken).ConfigureAwait(false);
        progress.Report(new RenderStatus("joining", 1, 0));
        LogRendered(logger, request.JobId, facts.Duration, facts.SizeBytes);
        return new RenderedFiles(outputPath, null, encoder.ContentType, encoder.Encoder, facts);
    }
}
