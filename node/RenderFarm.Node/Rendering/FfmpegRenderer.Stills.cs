using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Compilation;

namespace RenderFarm.Node.Rendering;

/// <summary>Preview stills: the render's own graph, sampled at chosen frames into JPEGs, no encode of the rest.</summary>
internal sealed partial class FfmpegRenderer
{
    public async Task<RenderedStills> RenderStillsAsync(RenderRequest request, IReadOnlyList<double> times, IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        Validate(request, times.Count == 0 ? "no preview times" : "");
        var opts = options.Value;
        var scratch = Path.Combine(request.WorkDirectory, "stills");
        Directory.CreateDirectory(scratch);
        var pattern = Path.Combine(request.WorkDirectory, "still-%02d.jpg");
        var pins = new List<IDisposable>();
        try
        {
            var (frame, timeline, compiled) = await CompileAsync(request, scratch, pins, progress, cancellationToken).ConfigureAwait(false);
            // Media lengths are known only now: a time past the probed end shows the last frame.
            var last = Math.Max(0, (long)Math.Round(timeline.Duration * frame.Fps) - 1);
            var wanted = times.Select(t => Math.Clamp((long)Math.Floor(t * frame.Fps + 1e-6), 0, last)).ToList();
            var distinct = wanted.Distinct().Order().ToList();
            var select = string.Join('+', distinct.Select(f => $"eq(n\\,{f})"));
            var script = compiled.FilterScript.TrimEnd()
                + $";\n[{compiled.VideoLabel}]select='{select}'[stills]"
                + (compiled.AudioLabel is null ? "" : $";\n[{compiled.AudioLabel}]anullsink")
                + "\n";
            var scriptPath = await WriteGraphAsync(compiled, script, scratch, cancellationToken).ConfigureAwait(false);
            List<string> arguments = ["-map", "[stills]", "-fps_mode", "passthrough", "-frames:v", $"{distinct.Count}", "-q:v", "3"];
            LogRendering(logger, request.JobId, timeline.Duration, compiled.Inputs.Count, "mjpeg stills");
            await RunAsync(compiled, scriptPath, pattern, arguments, opts.TimeoutFor(timeline.Duration), progress, cancellationToken).ConfigureAwait(false);

            var paths = wanted.Select(f => Path.Combine(request.WorkDirectory, $"still-{distinct.IndexOf(f) + 1:00}.jpg")).ToList();
            if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
            {
                throw new RenderException(ErrorReasons.RenderFailed, $"ffmpeg wrote no still {Path.GetFileName(missing)}.", retryable: true);
            }
            progress.Report(new RenderStatus("rendering", 1, 0));
            return new RenderedStills(paths, frame.Width, frame.Height);
        }
        catch (MediaException me)
        {
            throw new RenderException(me.Code, me.Message, me.Retryable, me);
        }
        catch (IOException io)
        {
            throw new RenderException(ErrorReasons.RenderFailed, io.Message, retryable: true, io);
        }
        finally
        {
            pins.ForEach(p => p.Dispose());
            TryDeleteDirectory(scratch);
        }
    }
}
