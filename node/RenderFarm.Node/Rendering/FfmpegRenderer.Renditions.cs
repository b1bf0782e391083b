using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;

namespace RenderFarm.Node.Rendering;

/// <summary>
/// Renditions: the canvas laid out in more frames, compiled into the same graph as the main
/// picture (the sources' decodes shared, the audio mixed once and split), each picture encoded to
/// its own output of the one FFmpeg process. A rendition identical to the main output is its file.
/// </summary>
internal sealed partial class FfmpegRenderer
{
    // The renditions that need a picture of their own, each with its laid-out canvas's frame and timing.
    private static List<(CanvasFrame Frame, Timeline Timeline)> RenditionPictures(RenderRequest request, IReadOnlyDictionary<int, LocalMedia> local)
    {
        var durations = local.Where(m => m.Value.Duration is > 0).ToDictionary(m => m.Key, m => m.Value.Duration!.Value);
        return [.. Own(request).Select(r =>
        {
            var canvas = Renditions.CanvasFor(request.Canvas, r);
            return (CanvasFrame.Of(canvas) with { Focus = Renditions.Focus(r) }, TimelineResolver.Resolve(canvas, durations));
        })];
    }

    private static IEnumerable<Rendition> Own(RenderRequest request) =>
        (request.Renditions ?? []).Where(r => !Renditions.SameAsMain(request.Canvas, request.Output, r));

    // Each rendition's file and encoder, in the request's order; the path is null where the main output serves.
    private IReadOnlyList<(string Name, string? Path, EncoderSettings Encoder)> RenditionOutputs(RenderRequest request, EncoderSettings main) =>
        [.. (request.Renditions ?? []).Select(r =>
        {
            if (Renditions.SameAsMain(request.Canvas, request.Output, r))
            {
                return (r.Name, (string?)null, main);
            }

            var encoder = EncoderChoice.For(Renditions.OutputFor(request.Output, r), request.Encoders, options.Value.Preset, request.RequiredEncoders);
            return (r.Name, Path.Combine(request.WorkDirectory, $"rendition-{r.Name}.{encoder.Extension}"), encoder);
        })];

    // Splits the mix to every output and adds one output per rendition picture to the arguments.
    // Returns the graph and the main output's audio pad.
    private (string Script, string? Audio) AddRenditionOutputs(string script, string? audio,
        IReadOnlyList<string> pictures, IReadOnlyList<(string Name, string? Path, EncoderSettings Encoder)> renditions, int fps, List<string> arguments)
    {
        var own = renditions.Where(r => r.Path is not null).ToList();
        if (own.Count == 0)
        {
            return (script, audio);
        }

        string?[] sounds = [.. Enumerable.Range(0, own.Count + 1).Select(i => audio is null ? null : $"rmix{i}")];
        if (audio is not null)
        {
            script = script.TrimEnd() + $";\n[{audio}]asplit={own.Count + 1}{string.Concat(sounds.Select(s => $"[{s}]"))}\n";
        }

        for (var i = 0; i < own.Count; i++)
        {
            arguments.AddRange(OutputArguments(own[i].Encoder, pictures[i], sounds[i + 1], fps, options.Value));
            arguments.Add($"\"{own[i].Path}\"");
        }

        return (script, sounds[0]);
    }

    private static async Task<IReadOnlyList<RenderedRendition>> RenditionFilesAsync(
        IReadOnlyList<(string Name, string? Path, EncoderSettings Encoder)> renditions, string mainPath, string mainContentType, OutputFacts mainFacts, CancellationToken cancellationToken)
    {
        var files = new List<RenderedRendition>();
        foreach (var (name, path, encoder) in renditions)
        {
            if (path is null)
            {
                files.Add(new RenderedRendition(name, mainPath, mainContentType, mainFacts));
                continue;
            }

            if (!File.Exists(path))
            {
                throw new RenderException(Contracts.ErrorReasons.RenderFailed, $"ffmpeg wrote no rendition {name}.", retryable: true);
            }

            files.Add(new RenderedRendition(name, path, encoder.ContentType, await OutputProbe.FactsAsync(path, false, cancellationToken).ConfigureAwait(false)));
        }

        return files;
    }
}
