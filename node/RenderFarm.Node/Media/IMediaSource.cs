namespace RenderFarm.Node.Media;

/// <summary>
/// Turns a canvas media reference (an http(s) URL) into a local, probed file the renderer may
/// hand to FFmpeg, and a font reference into a local file. Implementations fetch behind the SSRF guard, cache by content, and accept
/// only allow-listed container formats.
/// </summary>
public interface IMediaSource
{
    /// <summary>Fetches (or finds in the cache) and probes <paramref name="src"/>.</summary>
    /// <exception cref="MediaException">The reference is refused, unreachable, too large or not acceptable media.</exception>
    Task<LocalMedia> GetAsync(string src, CancellationToken cancellationToken);

    /// <summary>
    /// Fetches (or finds in the cache) <paramref name="src"/> as a plain file of at most
    /// <paramref name="maxBytes"/>, behind the same guard but not probed: a font, which the caller vets.
    /// </summary>
    /// <returns>The absolute path of the local file.</returns>
    /// <exception cref="MediaException">The reference is refused, unreachable or too large.</exception>
    Task<string> GetFileAsync(string src, long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the file <paramref name="src"/> resolves to on this node (never evicted from a cache)
    /// until the result is disposed. Take it before <see cref="GetAsync"/> and hold it while FFmpeg
    /// may still open the file. Sources without eviction need not override it.
    /// </summary>
    IDisposable Pin(string src) => NoPin.Instance;
}

/// <summary>A pin that holds nothing.</summary>
internal sealed class NoPin : IDisposable
{
    public static readonly NoPin Instance = new();

    public void Dispose()
    {
    }
}

/// <summary>A fetched, probed media file on the node's disk.</summary>
/// <param name="Path">Absolute path of the local file.</param>
/// <param name="Format">The demuxer ffprobe chose (first name of format_name), to be forced with -f.</param>
/// <param name="Duration">Seconds, when the container states one (null for still images).</param>
/// <param name="HasVideo">Whether a video (or image) stream exists.</param>
/// <param name="HasAudio">Whether an audio stream exists.</param>
/// <param name="Width">Display width before rotation, 0 without video.</param>
/// <param name="Height">Display height before rotation, 0 without video.</param>
/// <param name="Rotation">Rotation in degrees from the display matrix or rotate tag (0, 90, 180, 270).</param>
/// <param name="Fps">Average frame rate, 0 when unknown.</param>
/// <param name="IsImage">A still image (png, jpeg, webp, single-frame gif).</param>
/// <param name="Words">For synthesised speech: when each word is heard, from the start of the file.</param>
public sealed record LocalMedia(
    string Path,
    string Format,
    double? Duration,
    bool HasVideo,
    bool HasAudio,
    int Width,
    int Height,
    int Rotation,
    double Fps,
    bool IsImage,
    IReadOnlyList<RenderFarm.TextToSpeech.SpokenWord>? Words = null)
{
    /// <summary>The video stream's codec as ffprobe names it ("h264", "hevc"), when known.</summary>
    public string? VideoCodec { get; init; }

    /// <summary>The video stream's pixel format as ffprobe names it ("yuv420p"), when known.</summary>
    public string? PixelFormat { get; init; }
}

/// <summary>A media reference that cannot be used; <see cref="Code"/> is a stable UPPER_SNAKE reason.</summary>
public sealed class MediaException(string code, string message, bool retryable = false) : Exception(message)
{
    /// <summary>Stable reason, e.g. MEDIA_URL_REFUSED, MEDIA_FETCH_FAILED, MEDIA_TOO_LARGE, MEDIA_UNSUPPORTED.</summary>
    public string Code { get; } = code;

    /// <summary>Whether another attempt could succeed (a network failure may; a refused URL never).</summary>
    public bool Retryable { get; } = retryable;
}
