using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Diagnostics;

/// <summary>
/// What this node can do, as announced in its hello: cores, memory, GPUs, the FFmpeg version and
/// the encoders that completed a real one-frame encode (NVENC is listed by <c>-encoders</c> even
/// where the GPU has none, so the list is never trusted), and the codecs whose videos decode and
/// scale on the GPU, each checked by a real one-frame run. Probed once per process.
/// </summary>
public sealed partial class NodeCapabilitiesProbe(
    IOptions<NodeCapabilitiesOptions> options, TimeProvider time, ILogger<NodeCapabilitiesProbe> logger)
{
    private readonly NodeCapabilitiesOptions _options = options.Value;
    private readonly Lock _gate = new();
    private Task<NodeCapabilities>? _probe;

    /// <summary>The capabilities; the first call probes, later calls share its result. Returns a copy.</summary>
    public async Task<NodeCapabilities> GetAsync(CancellationToken cancellationToken)
    {
        Task<NodeCapabilities> probe;
        lock (_gate)
        {
            // A faulted probe is retried on the next call rather than cached.
            if (_probe is null || _probe.IsFaulted || _probe.IsCanceled)
            {
                _probe = ProbeAsync();
            }
            probe = _probe;
        }
        return (await probe.WaitAsync(cancellationToken)).Clone();
    }

    private async Task<NodeCapabilities> ProbeAsync()
    {
        var candidates = _options.CandidateEncoders.Count > 0 ? _options.CandidateEncoders : NodeCapabilitiesOptions.DefaultEncoders;
        var encoders = Task.WhenAll(candidates.Select(EncodesAsync));
        var version = FfmpegVersionAsync();
        var gpus = GpusAsync();
        var capabilities = new NodeCapabilities
        {
            CpuCores = Environment.ProcessorCount,
            MemoryBytes = HostFacts.MemoryBytes(),
            FfmpegVersion = await version,
        };
        capabilities.Gpus.AddRange(await gpus);
        capabilities.Encoders.AddRange((await encoders).Where(e => e is not null).Select(e => e!));
        capabilities.GpuDecoders.AddRange(await GpuDecodersAsync(capabilities.Gpus.Count > 0));
        Probed(logger, capabilities.CpuCores, capabilities.MemoryBytes, capabilities.Gpus.Count,
            string.Join(",", capabilities.Encoders), string.Join(",", capabilities.GpuDecoders), capabilities.FfmpegVersion);
        return capabilities;
    }

    // The GPU path per codec: a two-frame sample encoded on the CPU, then decoded by NVDEC and
    // passed through the filters a render puts on it (retiming, scale_cuda, hwdownload, a CPU crop).
    private async Task<IEnumerable<string>> GpuDecodersAsync(bool gpuSeen)
    {
        var codecs = _options.GpuDecoders.Count > 0 ? _options.GpuDecoders : NodeCapabilitiesOptions.DefaultGpuDecoders;
        switch (_options.GpuDecode)
        {
            case GpuDecodeMode.Off:
                return [];
            case GpuDecodeMode.On:
                return codecs;
            case GpuDecodeMode.Auto when !gpuSeen:
                return [];
        }
        var scratch = Directory.CreateTempSubdirectory("rf-gpu-probe-");
        try
        {
            var works = await Task.WhenAll(codecs.Select(c => DecodesOnGpuAsync(c, scratch.FullName)));
            return codecs.Where((_, i) => works[i]).ToList();
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private async Task<bool> DecodesOnGpuAsync(string codec, string scratch)
    {
        if (!SampleEncoders.TryGetValue(codec, out var encoder))
        {
            GpuDecodeUnavailable(logger, codec, "no encoder to make a sample of it");
            return false;
        }
        var sample = Path.Combine(scratch, $"{codec}.mkv");
        var made = await ToolRunner.RunAsync(_options.FfmpegPath,
            ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=256x144:r=25",
             "-frames:v", "2", "-c:v", encoder, "-pix_fmt", "yuv420p", sample],
            _options.ProbeTimeout, time, CancellationToken.None);
        var result = made is { Succeeded: true }
            ? await ToolRunner.RunAsync(_options.FfmpegPath,
                ["-hide_banner", "-nostdin", "-v", "error", .. Rendering.Compilation.GpuDecoding.InputArguments.Split(' '), "-i", sample,
                 "-vf", $"null,setpts=PTS-STARTPTS,fps=25:start_time=0,{Rendering.Compilation.GpuDecoding.Scale(128, 72, "increase")},crop=128:72",
                 "-frames:v", "1", "-f", "null", "-"],
                _options.ProbeTimeout, time, CancellationToken.None)
            : made;
        if (result is { Succeeded: true })
        {
            return true;
        }
        GpuDecodeUnavailable(logger, codec, result is null ? "ffmpeg not found" : result.TimedOut ? "timed out" : LastLine(result.StandardError));
        return false;
    }

    // CPU encoders that write a sample of each codec the GPU path may be tried for.
    private static readonly Dictionary<string, string> SampleEncoders = new(StringComparer.Ordinal)
    {
        ["h264"] = "libx264", ["hevc"] = "libx265", ["vp9"] = "libvpx-vp9", ["av1"] = "libsvtav1",
    };

    private async Task<string?> EncodesAsync(string encoder)
    {
        var result = await ToolRunner.RunAsync(_options.FfmpegPath,
            ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=256x256:r=1",
             "-frames:v", "1", "-c:v", encoder, "-f", "null", "-"],
            _options.ProbeTimeout, time, CancellationToken.None);
        if (result is { Succeeded: true })
        {
            return encoder;
        }
        EncoderUnavailable(logger, encoder, result is null ? "ffmpeg not found" : result.TimedOut ? "timed out" : LastLine(result.StandardError));
        return null;
    }

    private async Task<string> FfmpegVersionAsync()
    {
        var result = await ToolRunner.RunAsync(_options.FfmpegPath, ["-hide_banner", "-version"], _options.ProbeTimeout, time, CancellationToken.None);
        return result is { Succeeded: true } ? HostFacts.ParseFfmpegVersion(result.StandardOutput) : "";
    }

    private async Task<List<Gpu>> GpusAsync()
    {
        var result = await ToolRunner.RunAsync(_options.NvidiaSmiPath,
            ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"], _options.ProbeTimeout, time, CancellationToken.None);
        if (result is { Succeeded: true })
        {
            return HostFacts.ParseNvidiaSmi(result.StandardOutput);
        }

        // Without nvidia-smi (a slim image), the driver's device files still show the GPUs.
        return [.. HostFacts.NvidiaDevices(_options.DeviceDirectory).Select(d => new Gpu { Name = $"NVIDIA GPU ({d})" })];
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Node capabilities: {Cores} cores, {MemoryBytes} bytes memory, {Gpus} GPUs, encoders [{Encoders}], GPU decoders [{GpuDecoders}], ffmpeg {Version}")]
    private static partial void Probed(ILogger logger, int cores, long memoryBytes, int gpus, string encoders, string gpuDecoders, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "GPU path for {Codec} failed its one-frame run; its videos decode on the CPU: {Reason}")]
    private static partial void GpuDecodeUnavailable(ILogger logger, string codec, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Encoder {Encoder} failed its test encode: {Reason}")]
    private static partial void EncoderUnavailable(ILogger logger, string encoder, string reason);
}
