namespace RenderFarm.Node.Diagnostics;

/// <summary>How a node finds out what it can do.</summary>
public sealed class NodeCapabilitiesOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string Section = "RenderFarm:Capabilities";

    /// <summary>The ffmpeg executable (a name on PATH or an absolute path).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The nvidia-smi executable; when it is absent or fails the node counts the GPU device files instead.</summary>
    public string NvidiaSmiPath { get; set; } = "nvidia-smi";

    /// <summary>Where the NVIDIA driver's device files (nvidia0, nvidia1, …) are looked for when nvidia-smi is unavailable.</summary>
    public string DeviceDirectory { get; set; } = "/dev";

    /// <summary>Limit on each one-frame test encode and on each tool query.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Encoders tried by a real one-frame encode; only those that succeed are announced.</summary>
    public List<string> CandidateEncoders { get; set; } = [];

    /// <summary>
    /// The GPU path (NVDEC decode and scale_cuda before the CPU part of the graph): <c>Auto</c> checks
    /// each of <see cref="GpuDecoders"/> by a real one-frame run when a GPU is seen; <c>On</c> announces
    /// them without the check (a node without working NVDEC then fails its renders); <c>Off</c> never.
    /// </summary>
    public GpuDecodeMode GpuDecode { get; set; } = GpuDecodeMode.Auto;

    /// <summary>Video codecs the GPU path is tried for; empty means <see cref="DefaultGpuDecoders"/>.</summary>
    public List<string> GpuDecoders { get; set; } = [];

    /// <summary>The codecs used when <see cref="GpuDecoders"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultGpuDecoders = ["h264", "hevc"];

    /// <summary>The candidates used when <see cref="CandidateEncoders"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultEncoders =
        ["libx264", "libx265", "libvpx-vp9", "libsvtav1", "h264_nvenc", "hevc_nvenc", "av1_nvenc"];
}

/// <summary>Whether a node decodes and scales video on its GPU.</summary>
public enum GpuDecodeMode
{
    /// <summary>When a GPU is seen and a one-frame run of the path succeeds.</summary>
    Auto,

    /// <summary>Always, unchecked.</summary>
    On,

    /// <summary>Never.</summary>
    Off,
}
