using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Diagnostics;

/// <summary>
/// What this node can do, as announced in its hello: cores, memory, GPUs, the FFmpeg version and
/// the encoders that completed a real one-frame encode (NVENC is listed by <c>-encoders</c> even
/// where the GPU has none, so the list is never trusted). Probed once per process.
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
        Probed(logger, capabilities.CpuCores, capabilities.MemoryBytes, capabilities.Gpus.Count,
            string.Join(",", capabilities.Encoders), capabilities.FfmpegVersion);
        return capabilities;
    }

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
        Message = "Node capabilities: {Cores} cores, {MemoryBytes} bytes memory, {Gpus} GPUs, encoders [{Encoders}], ffmpeg {Version}")]
    private static partial void Probed(ILogger logger, int cores, long memoryBytes, int gpus, string encoders, string version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Encoder {Encoder} failed its test encode: {Reason}")]
    private static partial void EncoderUnavailable(ILogger logger, string encoder, string reason);
}
