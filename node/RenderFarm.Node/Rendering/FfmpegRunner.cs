using System.Globalization;
using System.Text.RegularExpressions;
using FFMpegCore;
using RenderFarm.Node.Rendering.Compilation;

namespace RenderFarm.Node.Rendering;

/// <summary>Runs one compiled render as one FFmpeg process, reporting progress and keeping stderr's tail.</summary>
internal sealed partial class FfmpegRunner(ILogger<FfmpegRunner> logger)
{
    private const int TailLines = 15;

    /// <summary>Runs FFmpeg; returns its exit code and the last lines of stderr. Cancelling kills FFmpeg.</summary>
    public async Task<(int ExitCode, bool Cancelled, string StderrTail)> RunAsync(
        CompiledRender compiled, string scriptPath, string outputPath, IReadOnlyList<string> outputArguments,
        IProgress<RenderStatus> progress, CancellationToken cancellationToken)
    {
        var tail = new Queue<string>();
        var total = Math.Max(compiled.Duration, 1e-3);
        var speed = 0.0;
        var processor = Command(compiled, scriptPath, outputPath, outputArguments)
            .NotifyOnStandardError(line =>
            {
                var m = SpeedPattern().Match(line);
                if (m.Success)
                {
                    speed = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    return;
                }
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > TailLines)
                    {
                        tail.Dequeue();
                    }
                }
            })
            .NotifyOnProgress(time => progress.Report(new RenderStatus("rendering", Math.Clamp(time.TotalSeconds / total, 0, 1), speed)))
            .CancellableThrough(cancellationToken, TimeSpan.Zero);
        LogStarting(logger, processor.Arguments);
        var result = await processor.ProcessAsynchronously(false, null, cancellationToken).ConfigureAwait(false);
        string text;
        lock (tail)
        {
            text = string.Join('\n', tail);
        }
        return (result.ExitCode, result.Cancelled, text);
    }

    /// <summary>
    /// The FFmpeg command of a render: the graph script first, each input file as the graph
    /// numbers them, then the output. Its <c>Arguments</c> are the command line (benchmarks read it).
    /// </summary>
    internal static FFMpegArgumentProcessor Command(CompiledRender compiled, string scriptPath, string outputPath, IReadOnlyList<string> outputArguments)
    {
        var arguments = FFMpegArguments.FromInput(new FilterScriptArgument(scriptPath), o => o.WithCustomArgument("-hide_banner -stats_period 0.5"));
        foreach (var input in compiled.Inputs)
        {
            arguments = arguments.AddFileInput(input.Path, true, o =>
            {
                // The probed demuxer is forced and only local files may be opened: a playlist
                // posing as media must not reach other files or the network.
                o.WithCustomArgument($"-protocol_whitelist file -f {input.Format}");
                if (input.Seek > 0)
                {
                    o.WithCustomArgument($"-ss {FilterText.Num(input.Seek)}");
                }
                if (input.Loop)
                {
                    o.WithCustomArgument("-stream_loop -1");
                }
                if (input.Cuda)
                {
                    o.WithCustomArgument(GpuDecoding.InputArguments);
                }
            });
        }
        return arguments.OutputToFile(outputPath, true, o => o.WithCustomArgument(string.Join(' ', outputArguments)));
    }

    [GeneratedRegex(@"speed=\s*([0-9.]+)x")]
    private static partial Regex SpeedPattern();

    [LoggerMessage(Level = LogLevel.Debug, Message = "ffmpeg {Arguments}")]
    private static partial void LogStarting(ILogger logger, string arguments);
}
