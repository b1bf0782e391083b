using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering;

/// <summary>Compiles a canvas into one FFmpeg invocation and runs it.</summary>
public interface IRenderer
{
    /// <summary>
    /// Renders <paramref name="request"/> into its work directory. Cancelling the token kills
    /// FFmpeg and removes partial files before the returned task completes.
    /// </summary>
    /// <exception cref="RenderException">The canvas cannot be rendered (bad media, FFmpeg failure, timeout).</exception>
    Task<RenderedFiles> RenderAsync(RenderRequest request, IProgress<RenderStatus> progress, CancellationToken cancellationToken);

    /// <summary>
    /// Renders JPEG stills of the canvas at <paramref name="times"/> (seconds, ascending) from the
    /// same filter graph as <see cref="RenderAsync"/>, stopping after the last one.
    /// </summary>
    /// <exception cref="RenderException">The canvas cannot be rendered.</exception>
    Task<RenderedStills> RenderStillsAsync(RenderRequest request, IReadOnlyList<double> times, IProgress<RenderStatus> progress, CancellationToken cancellationToken);

    /// <summary>
    /// Joins the <paramref name="chunks"/> of a chunked production (local files, in order of
    /// frames) without re-encoding and muxes <paramref name="sound"/> (a WAV of the whole video)
    /// in, encoded as a single render of the request's output encodes its sound.
    /// </summary>
    /// <exception cref="RenderException">FFmpeg could not join them.</exception>
    Task<RenderedFiles> JoinAsync(RenderRequest request, IReadOnlyList<string> chunks, string sound, IProgress<RenderStatus> progress, CancellationToken cancellationToken);
}

/// <summary>Stills a preview wrote, one path per requested time, and their frame size.</summary>
public sealed record RenderedStills(IReadOnlyList<string> Paths, int Width, int Height);

/// <summary>One render: what to draw, what to produce, where to write, which encoders work here.</summary>
public sealed record RenderRequest(
    string JobId,
    Canvas Canvas,
    OutputSpec Output,
    string WorkDirectory,
    IReadOnlyCollection<string> Encoders,
    IReadOnlyCollection<string>? RequiredEncoders = null,
    IReadOnlyList<Rendition>? Renditions = null)
{
    /// <summary>Video codecs this node decodes and scales on its GPU (its capabilities' gpu_decoders); empty keeps the graph on the CPU.</summary>
    public IReadOnlyCollection<string> GpuDecoders { get; init; } = [];

    /// <summary>When set, only these frames of the video, without sound (a chunk of a chunked production).</summary>
    public ChunkFrames? Chunk { get; init; }
}

/// <summary>Where a render is: stage ("fetching media", "rendering"), progress 0..1, speed vs realtime.</summary>
public sealed record RenderStatus(string Stage, double Progress, double Speed);

/// <summary>
/// The files a render wrote and what ffprobe says of the output; for a PNG/JPEG output the output
/// is the first still. Stills and sidecars are in the order the output asks for them.
/// </summary>
public sealed record RenderedFiles(string OutputPath, string? PosterPath, string ContentType, string Encoder, OutputFacts Facts)
{
    /// <summary>One still per output.stillTimes entry.</summary>
    public IReadOnlyList<RenderedStill> Stills { get; init; } = [];

    /// <summary>One file per output.sidecars entry.</summary>
    public IReadOnlyList<RenderedSidecar> Sidecars { get; init; } = [];

    /// <summary>Every spoken or captioned word on the output timeline, in order of start.</summary>
    public IReadOnlyList<RenderFarm.TextToSpeech.SpokenWord> Words { get; init; } = [];

    /// <summary>One file per rendition of the request, in its order.</summary>
    public IReadOnlyList<RenderedRendition> Renditions { get; init; } = [];
}

/// <summary>A rendition's file, its MIME type and what ffprobe says of it.</summary>
public sealed record RenderedRendition(string Name, string Path, string ContentType, OutputFacts Facts);

/// <summary>A still: the requested time, the time of the frame it shows, its file and MIME type.</summary>
public sealed record RenderedStill(double Time, double FrameTime, string Path, string ContentType);

/// <summary>A sidecar file and its MIME type.</summary>
public sealed record RenderedSidecar(OutputSpec.Types.Sidecar Format, string Path, string ContentType);

/// <summary>ffprobe facts of a rendered file.</summary>
public sealed record OutputFacts(double Duration, int Width, int Height, double Fps, string VideoCodec, string? AudioCodec, long SizeBytes);

/// <summary>A render that failed; <see cref="Code"/> is a stable UPPER_SNAKE reason.</summary>
public sealed class RenderException(string code, string message, bool retryable = false, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Stable reason, e.g. MEDIA_FETCH_FAILED, RENDER_FAILED, RENDER_TIMEOUT.</summary>
    public string Code { get; } = code;

    /// <summary>Whether another attempt could succeed.</summary>
    public bool Retryable { get; } = retryable;
}
