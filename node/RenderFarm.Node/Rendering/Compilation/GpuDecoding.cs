using RenderFarm.Node.Media;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// The GPU path of a graph: a video whose codec the node decodes on its NVIDIA GPU (checked by a
/// one-frame run when the node starts) is decoded there (NVDEC) and scaled there (scale_cuda); its
/// picture comes down to system memory (hwdownload) at the fitted size, and the rest of the graph
/// runs on the CPU as before. Encoding stays on the CPU: data-centre GPUs have no NVENC.
/// </summary>
internal sealed class GpuDecoding(IReadOnlyCollection<string> codecs)
{
    /// <summary>Input options that decode on the GPU and keep the frames in its memory.</summary>
    public const string InputArguments = "-hwaccel cuda -hwaccel_output_format cuda";

    /// <summary>
    /// Whether <paramref name="media"/> can take the path: 8-bit 4:2:0 of a checked codec, shown
    /// unrotated (FFmpeg turns a rotated picture with a CPU filter right after the decoder). A
    /// full-range (yuvj) or 10-bit source keeps the CPU path, where swscale converts its range and depth.
    /// </summary>
    public bool Decodes(LocalMedia media) =>
        media is { HasVideo: true, IsImage: false, Rotation: 0, PixelFormat: "yuv420p" } && codecs.Contains(media.VideoCodec ?? "");

    /// <summary>
    /// scale_cuda to <paramref name="width"/>×<paramref name="height"/> (<paramref name="aspect"/>: as
    /// scale's force_original_aspect_ratio, or null), bicubic like swscale's default, brought down as yuv420p.
    /// </summary>
    public static string Scale(int width, int height, string? aspect) =>
        $"scale_cuda=w={width}:h={height}{(aspect is null ? "" : $":force_original_aspect_ratio={aspect}")}:interp_algo=bicubic:format=yuv420p,"
        + "hwdownload,format=yuv420p";

    /// <summary>The CPU's scale of the same picture.</summary>
    public static string CpuScale(int width, int height, string? aspect) =>
        $"scale={width}:{height}{(aspect is null ? "" : $":force_original_aspect_ratio={aspect}")}";
}
