using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Compilation;

namespace RenderFarm.Node.Rendering;

/// <summary>
/// Stills without a video: the render's own graph, sampled at chosen frames into images, no
/// encode of the rest. A plan's preview (JPEG) and a PNG/JPEG output (a carousel) both run here.
/// </summary>
internal sealed partial class FfmpegRenderer
{
    public async Task<RenderedStills> RenderStillsAsync(RenderRequest request, IReadOnlyList<double> times, IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        Validate(request, times.Count == 0 ? "no preview times" : "");
        var (frame, _, grabs, _) = await GrabAsync(request, new OutputSpec { StillTimes = { times } }, "jpg", progress, cancellationToken).ConfigureAwait(false);
        return new RenderedStills([.. grabs.StillFiles(request.WorkDirectory, "jpg", "image/jpeg").Select(s => s.Path)], frame.Width, frame.Height);
    }

    // A PNG or JPEG output: its stills, the sidecars and the words; the first still stands as the output.
    private async Task<RenderedFiles> RenderStillOutputAsync(RenderRequest request, IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        Validate(request, "");
        var output = request.Output;
        var extension = OutputKinds.StillExtension(output);
        var contentType = OutputKinds.StillContentType(output);
        var (frame, timeline, grabs, captions) = await GrabAsync(request, output, extension, progress, cancellationToken).ConfigureAwait(false);
        var stills = grabs.StillFiles(request.WorkDirectory, extension, contentType);
        var sidecars = await SidecarWriter.WriteAsync(output.Sidecars, captions, request.WorkDirectory, cancellationToken).ConfigureAwait(false);
        var first = stills[0].Path;
        var facts = new OutputFacts(0, frame.Width, frame.Height, frame.Fps, extension == "png" ? "png" : "mjpeg", null, new FileInfo(first).Length);
        LogRendered(logger, request.JobId, timeline.Duration, facts.SizeBytes);
        return new RenderedFiles(first, null, contentType, facts.VideoCodec, facts) { Stills = stills, Sidecars = sidecars, Words = captions.Words };
    }

    // Runs the graph until the last wanted frame, writing each wanted frame once (frame-NN.ext).
    private async Task<(CanvasFrame Frame, Timeline Timeline, FrameGrabs Grabs, CaptionTrack Captions)> GrabAsync(
        RenderRequest request, OutputSpec wanted, string extension, IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        var opts = options.Value;
        var scratch = Path.Combine(request.WorkDirectory, "stills");
        Directory.CreateDirectory(scratch);
        var pins = new List<IDisposable>();
        try
        {
            var (frame, timeline, compiled, captions) = await CompileAsync(request, scratch, pins, progress, cancellationToken).ConfigureAwait(false);
            // Media lengths are known only now: a time past the probed end shows the last frame.
            var grabs = FrameGrabs.For(wanted, timeline.Duration, frame.Fps);
            var script = compiled.FilterScript.TrimEnd()
                + $";\n[{compiled.VideoLabel}]{grabs.Select}[stills]"
                + (compiled.AudioLabel is null ? "" : $";\n[{compiled.AudioLabel}]anullsink")
                + "\n";
            var scriptPath = await WriteGraphAsync(compiled, script, scratch, cancellationToken).ConfigureAwait(false);
            List<string> arguments = ["-map", "[stills]", "-fps_mode", "passthrough", "-frames:v", $"{grabs.Frames.Count}"];
            if (extension == "jpg")
            {
                arguments.AddRange(["-q:v", "2"]);
            }
            LogRendering(logger, request.JobId, timeline.Duration, compiled.Inputs.Count, $"{extension} stills");
            await RunAsync(compiled, scriptPath, FrameGrabs.Pattern(request.WorkDirectory, extension), arguments, opts.TimeoutFor(timeline.Duration), progress, cancellationToken).ConfigureAwait(false);

            if (grabs.Frames.Select(f => grabs.PathOf(request.WorkDirectory, f, extension)).FirstOrDefault(p => !File.Exists(p)) is { } missing)
            {
                throw new RenderException(ErrorReasons.RenderFailed, $"ffmpeg wrote no still {Path.GetFileName(missing)}.", retryable: true);
            }
            progress.Report(new RenderStatus("rendering", 1, 0));
            return (frame, timeline, grabs, captions);
        }
        catch (Exception e) when (e is MediaException or IOException)
        {
            throw Translate(e);
        }
        finally
        {
            pins.ForEach(p => p.Dispose());
            TryDeleteDirectory(scratch);
        }
    }
}
