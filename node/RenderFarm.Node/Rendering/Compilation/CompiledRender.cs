namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>One FFmpeg input: a local file, its forced demuxer, a seek and whether it loops.</summary>
internal sealed record RenderInput(string Path, string Format, double Seek, bool Loop)
{
    /// <summary>Decoded on the GPU (NVDEC), its frames left in GPU memory for scale_cuda.</summary>
    public bool Cuda { get; init; }
}

/// <summary>A canvas compiled into FFmpeg inputs plus one filter graph.</summary>
/// <param name="Inputs">Input files in -i order.</param>
/// <param name="FilterScript">The -filter_complex_script content.</param>
/// <param name="VideoLabel">Output pad of the picture.</param>
/// <param name="AudioLabel">Output pad of the mixed audio; null when the canvas is silent.</param>
/// <param name="Duration">Seconds of output.</param>
/// <param name="TextFiles">Files the graph reads (drawtext textfile=), path → content.</param>
internal sealed record CompiledRender(
    IReadOnlyList<RenderInput> Inputs,
    string FilterScript,
    string VideoLabel,
    string? AudioLabel,
    double Duration,
    IReadOnlyDictionary<string, string> TextFiles)
{
    /// <summary>Output pads of the renditions' pictures, in the order of the production's renditions.</summary>
    public IReadOnlyList<string> RenditionLabels { get; init; } = [];

    /// <summary>The absolute number of the picture's first frame: 0 but for a window (a chunk), which starts later.</summary>
    public long FrameOrigin { get; init; }
}
