using System.Diagnostics;
using Microsoft.Extensions.Options;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Compilation;
using RenderFarm.Node.Rendering.Text;
using Format = RenderFarm.Contracts.V1.OutputSpec.Types.Format;

namespace RenderFarm.Node.Rendering;

/// <summary>Renders a canvas with one FFmpeg process and one filter graph.</summary>
internal sealed partial class FfmpegRenderer(
    MediaGatherer media,
    FontResolver fontResolver,
    FfmpegRunner runner,
    IOptions<RenderOptions> options,
    TimeProvider time,
    ILogger<FfmpegRenderer> logger) : IRenderer
{
    public async Task<RenderedFiles> RenderAsync(RenderRequest request, IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        if (OutputKinds.IsStills(request.Output.Format))
        {
            return await RenderStillOutputAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }

        var opts = options.Value;
        var (scratch, encoder) = Begin(request);
        var outputPath = Path.Combine(request.WorkDirectory, $"output.{encoder.Extension}");
        var pins = new List<IDisposable>();
        try
        {
            var prepared = await PrepareAsync(request, encoder, scratch, pins, progress, cancellationToken).ConfigureAwait(false);
            var (timeline, compiled) = (prepared.Timeline, prepared.Compiled);
            LogRendering(logger, request.JobId, timeline.Duration, compiled.Inputs.Count, encoder.Encoder);
            await RunAsync(compiled, prepared.ScriptPath, outputPath, prepared.Arguments, opts.TimeoutFor(timeline.Duration), progress, cancellationToken).ConfigureAwait(false);

            var grabs = prepared.Grabs;
            var posterPath = grabs.Poster is { } poster ? grabs.PathOf(request.WorkDirectory, poster, "jpg") : null;
            var stills = grabs.StillFiles(request.WorkDirectory, "jpg", "image/jpeg");
            if (stills.Select(f => f.Path).Append(posterPath).FirstOrDefault(f => f is not null && !File.Exists(f)) is { } missing)
            {
                throw new RenderException(ErrorReasons.RenderFailed, $"ffmpeg wrote no frame {Path.GetFileName(missing)}.", retryable: true);
            }
            var sidecars = await SidecarWriter.WriteAsync(request.Output.Sidecars, prepared.Captions, request.WorkDirectory, cancellationToken).ConfigureAwait(false);
            var facts = await OutputProbe.FactsAsync(outputPath, OutputKinds.IsAudioOnly(request.Output.Format), cancellationToken).ConfigureAwait(false);
            var renditions = await RenditionFilesAsync(prepared.Renditions, outputPath, encoder.ContentType, facts, cancellationToken).ConfigureAwait(false);
            progress.Report(new RenderStatus("rendering", 1, 0));
            LogRendered(logger, request.JobId, facts.Duration, facts.SizeBytes);
            return new RenderedFiles(outputPath, posterPath, encoder.ContentType, encoder.Encoder, facts)
            {
                Stills = stills,
                Sidecars = sidecars,
                Words = prepared.Captions.Words,
                Renditions = renditions,
            };
        }
        catch (Exception e) when (e is OperationCanceledException or RenderException or MediaException or IOException)
        {
            Delete(outputPath);
            throw Translate(e);
        }
        finally
        {
            pins.ForEach(p => p.Dispose());
            TryDeleteDirectory(scratch);
        }
    }

    // Media and IO failures become render failures; cancellation and render failures pass as they are.
    private static Exception Translate(Exception e) => e switch
    {
        MediaException me => new RenderException(me.Code, me.Message, me.Retryable, me),
        IOException io => new RenderException(ErrorReasons.RenderFailed, io.Message, retryable: true, io),
        _ => e,
    };

    private static void Validate(RenderRequest request, string extra)
    {
        var violations = CanvasValidator.Validate(request.Canvas, request.Output);
        if (violations.Count > 0 || extra.Length > 0)
        {
            throw new RenderException(ErrorReasons.InvalidCanvas, string.Join("; ", violations.Select(v => $"{v.Field}: {v.Reason}").Append(extra).Where(m => m.Length > 0)));
        }
    }

    /// <summary>
    /// The FFmpeg command line (after "ffmpeg") that <see cref="RenderAsync"/> would run for
    /// <paramref name="request"/>, its graph and side files written under the request's work
    /// directory, to be run by hand (benchmarks and profiles of the compiled graph).
    /// </summary>
    internal async Task<string> CommandLineAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        var (scratch, encoder) = Begin(request);
        var pins = new List<IDisposable>();
        try
        {
            var prepared = await PrepareAsync(request, encoder, scratch, pins, new Progress<RenderStatus>(), cancellationToken).ConfigureAwait(false);
            return FfmpegRunner.Command(prepared.Compiled, prepared.ScriptPath, Path.Combine(request.WorkDirectory, $"output.{encoder.Extension}"), prepared.Arguments).Arguments;
        }
        finally
        {
            pins.ForEach(p => p.Dispose());
        }
    }

    // Validates the request, makes its scratch directory and chooses the encoder.
    private (string Scratch, EncoderSettings Encoder) Begin(RenderRequest request)
    {
        Validate(request, "");
        var scratch = Path.Combine(request.WorkDirectory, "render");
        Directory.CreateDirectory(scratch);
        return (scratch, EncoderChoice.For(request.Output, request.Encoders, options.Value.Preset, request.RequiredEncoders));
    }

    /// <summary>A render ready to run: its timing, graph, words and the FFmpeg arguments after the inputs.</summary>
    private sealed record Prepared(Timeline Timeline, CompiledRender Compiled, CaptionTrack Captions, FrameGrabs Grabs, string ScriptPath, List<string> Arguments)
    {
        /// <summary>Each rendition's file; null where it is the main output's (the same frame and encoding).</summary>
        public IReadOnlyList<(string Name, string? Path, EncoderSettings Encoder)> Renditions { get; init; } = [];
    }

    // Compiles the canvas, writes the graph and its side files; returns what FFmpeg is run with.
    // The stills and poster come out of the same process as a second output: the graph's picture
    // is split, one branch selecting those frames into numbered images.
    private async Task<Prepared> PrepareAsync(
        RenderRequest request, EncoderSettings encoder, string scratch, ICollection<IDisposable> pins, IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        using var span = FarmTracing.Node.StartActivity("render compile");
        var (frame, timeline, compiled, captions) = await CompileAsync(request, scratch, pins, progress, cancellationToken, OutputKinds.IsAudioOnly(request.Output.Format)).ConfigureAwait(false);
        var grabs = FrameGrabs.For(request.Output, timeline.Duration, frame.Fps);
        var (script, videoLabel, audioLabel) = Finish(compiled, request.Output.Format, grabs, timeline.Duration);
        if (request.Chunk is { } chunk)
        {
            (script, videoLabel, audioLabel) = Cut(script, videoLabel, audioLabel, chunk, compiled.FrameOrigin);
            compiled = compiled with { Duration = (chunk.EndFrame - chunk.StartFrame) / (double)frame.Fps };
        }
        var renditions = RenditionOutputs(request, encoder);
        List<string> arguments = grabs.Frames.Count == 0 ? [] :
        [
            "-map", $"[{StillsLabel}]", "-fps_mode", "passthrough", "-q:v", "2",
            $"\"{FrameGrabs.Pattern(request.WorkDirectory, "jpg")}\"",
        ];
        (script, audioLabel) = AddRenditionOutputs(script, audioLabel, compiled.RenditionLabels, renditions, frame.Fps, arguments);
        var scriptPath = await WriteGraphAsync(compiled, script, scratch, cancellationToken).ConfigureAwait(false);
        arguments.AddRange(OutputKinds.IsAudioOnly(request.Output.Format)
            ? AudioOnlyArguments(encoder, audioLabel!, options.Value)
            : OutputArguments(encoder, videoLabel, audioLabel, frame.Fps, options.Value));
        return new Prepared(timeline, compiled, captions, grabs, scriptPath, arguments) { Renditions = renditions };
    }

    // Fetches and probes the media, resolves timing and fonts, and compiles the one filter graph
    // (of the sound alone for an audio-only output) and the words and captions it shows.
    private async Task<(CanvasFrame Frame, Timeline Timeline, CompiledRender Compiled, CaptionTrack Captions)> CompileAsync(
        RenderRequest request, string scratch, ICollection<IDisposable> pins, IProgress<RenderStatus> progress, CancellationToken cancellationToken, bool audioOnly = false)
    {
        progress.Report(new RenderStatus("fetching media", 0, 0));
        Dictionary<int, LocalMedia> local;
        using (FarmTracing.Node.StartActivity("render fetch"))
        {
            local = await media.GatherAsync(request.Canvas, scratch, pins, cancellationToken).ConfigureAwait(false);
        }
        var narrations = await media.NarrateAsync(request.Canvas, scratch, cancellationToken).ConfigureAwait(false);
        var timeline = Resolve(request.Canvas, local, narrations);
        if (timeline.Duration <= 0)
        {
            throw new RenderException(ErrorReasons.EmptyCanvas, "The canvas has nothing with a duration to render.");
        }
        var frame = CanvasFrame.Of(request.Canvas);
        var fonts = await fontResolver.ResolveAsync(request.Canvas, scratch, pins, cancellationToken).ConfigureAwait(false);
        var compiled = audioOnly
            ? FilterGraphCompiler.CompileAudio(frame, timeline, local, scratch, fonts)
            : FilterGraphCompiler.Compile(frame, timeline, local, scratch, fonts, RenditionPictures(request, local),
                request.GpuDecoders.Count > 0 ? new GpuDecoding(request.GpuDecoders) : null,
                request.Chunk is { } chunk ? (chunk.StartFrame, chunk.EndFrame) : null);
        return (frame, timeline, compiled, CaptionTrack.Of(frame, timeline, local, fonts));
    }

    // Resolves timing with the media's and narrations' lengths. Each narration then becomes a speech
    // track (a segment appended after the canvas's own, whose indices stay) from its scene's start,
    // so the mix, ducking and SPEECH captions take it as any speech.
    internal static Timeline Resolve(Contracts.V1.Canvas canvas, Dictionary<int, LocalMedia> local, Dictionary<int, LocalMedia> narrations)
    {
        static Dictionary<int, double> Lengths(Dictionary<int, LocalMedia> files) =>
            files.Where(m => m.Value.Duration is > 0).ToDictionary(m => m.Key, m => m.Value.Duration!.Value);
        var lengths = Lengths(narrations);
        var timeline = TimelineResolver.Resolve(canvas, Lengths(local), lengths);
        if (narrations.Count == 0)
        {
            return timeline;
        }
        var (spokenCanvas, spoken) = Narrations.Expand(canvas, timeline, lengths);
        foreach (var (index, scene) in spoken)
        {
            local[index] = narrations[scene];
        }
        return TimelineResolver.Resolve(spokenCanvas, Lengths(local), lengths);
    }

    // Writes the graph's side files (text, subtitles) and the graph itself; returns the graph's path.
    private static async Task<string> WriteGraphAsync(CompiledRender compiled, string script, string scratch, CancellationToken cancellationToken)
    {
        foreach (var (path, content) in compiled.TextFiles)
        {
            await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
        }
        var scriptPath = Path.Combine(scratch, "graph.txt");
        await File.WriteAllTextAsync(scriptPath, script, cancellationToken).ConfigureAwait(false);
        return scriptPath;
    }

    private async Task RunAsync(CompiledRender compiled, string scriptPath, string outputPath, IReadOnlyList<string> arguments,
        TimeSpan limit, IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        (int ExitCode, bool Cancelled, string Tail) result;
        using var span = FarmTracing.Node.StartActivity("ffmpeg run");
        try
        {
            result = await runner.RunAsync(compiled, scriptPath, outputPath, arguments, progress, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            result = (-1, true, "");
        }
        if (result.Cancelled || linked.IsCancellationRequested)
        {
            var stragglers = FfmpegProcesses.KillWriting(outputPath);
            if (stragglers > 0)
            {
                LogStragglers(logger, stragglers, outputPath);
            }
            cancellationToken.ThrowIfCancellationRequested();
            throw new RenderException(ErrorReasons.RenderTimeout, $"The render took longer than {limit.TotalSeconds:0} s and was stopped.");
        }
        span?.SetTag("process.exit_code", result.ExitCode);
        if (result.ExitCode != 0)
        {
            span?.SetStatus(ActivityStatusCode.Error, "ffmpeg failed");
            throw new RenderException(ErrorReasons.RenderFailed, $"ffmpeg exited with {result.ExitCode}: {result.Tail}", retryable: true);
        }
    }

    private const string StillsLabel = "stills";

    // An audio-only graph has no picture, and a silent canvas's sound is silence of its length.
    // Otherwise stills split off the picture first, and GIF then needs a palette pass.
    private static (string Script, string Video, string? Audio) Finish(CompiledRender compiled, Format format, FrameGrabs grabs, double duration)
    {
        var script = compiled.FilterScript.Trim();
        if (OutputKinds.IsAudioOnly(format))
        {
            if (compiled.AudioLabel is not null)
            {
                return (script + "\n", "", compiled.AudioLabel);
            }
            var silence = $"anullsrc=r=48000:cl=stereo,atrim=duration={FilterText.Num(duration)}[silence]";
            return ((script.Length > 0 ? script + ";\n" : "") + silence + "\n", "", "silence");
        }
        var video = compiled.VideoLabel;
        if (grabs.Frames.Count > 0)
        {
            script += $";\n[{video}]split[grabbed][{StillsLabel}0];[{StillsLabel}0]{grabs.Select}[{StillsLabel}]";
            video = "grabbed";
        }
        if (format != Format.Gif)
        {
            return (script + "\n", video, compiled.AudioLabel);
        }
        script += $";\n[{video}]split[gif0][gif1];[gif0]palettegen=stats_mode=diff[gifp];[gif1][gifp]paletteuse[gif]"
            + (compiled.AudioLabel is null ? "" : $";\n[{compiled.AudioLabel}]anullsink")
            + "\n";
        return (script, "gif", null);
    }

    private static List<string> AudioOnlyArguments(EncoderSettings encoder, string audio, RenderOptions opts)
    {
        var args = new List<string> { "-map", $"[{audio}]", "-vn", "-c:a", encoder.AudioEncoder! };
        args.AddRange(encoder.VideoArguments);
        if (encoder.AudioEncoder == "libmp3lame")
        {
            args.AddRange(["-b:a", $"{opts.AudioBitrate}"]);
        }
        return args;
    }

    private static List<string> OutputArguments(EncoderSettings encoder, string video, string? audio, int fps, RenderOptions opts)
    {
        var args = new List<string> { "-map", $"[{video}]" };
        if (audio is not null && encoder.AudioEncoder is not null)
        {
            args.AddRange(["-map", $"[{audio}]", "-c:a", encoder.AudioEncoder, "-b:a", $"{opts.AudioBitrate}"]);
        }
        args.AddRange(encoder.VideoArguments);
        // No -t: the graph trims both streams exactly, and ffmpeg 5.1's -t drops a last frame that
        // starts before the limit but ends after it.
        args.AddRange(["-r", $"{fps}"]);
        if (opts.Threads > 0)
        {
            args.AddRange(["-threads", $"{opts.Threads}"]);
        }
        return args;
    }

    private static void Delete(params string?[] paths)
    {
        foreach (var path in paths)
        {
            if (path is not null && File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Scratch files are best-effort; the work directory is removed with the job.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rendering {JobId}: {Duration} s from {Inputs} inputs with {Encoder}")]
    private static partial void LogRendering(ILogger logger, string jobId, double duration, int inputs, string encoder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rendered {JobId}: {Duration} s, {Size} bytes")]
    private static partial void LogRendered(ILogger logger, string jobId, double duration, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killed {Count} ffmpeg processes still writing {Path} after cancellation")]
    private static partial void LogStragglers(ILogger logger, int count, string path);
}
