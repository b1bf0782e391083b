using FFMpegCore;
using RenderFarm.Node.Media;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>
/// A test-side media source: https://media.test/{name} is a file of <see cref="TestMedia"/>,
/// probed with the real ffprobe (plain files, such as fonts, are not probed). "refused" URLs throw
/// as the real SSRF guard would.
/// </summary>
internal sealed class ProbingMediaSource(TestMedia media) : IMediaSource
{
    public const string Base = "https://media.test/";

    private int _pins;
    private int _held;

    /// <summary>Pins taken so far.</summary>
    public int Pins => _pins;

    /// <summary>Pins not yet released.</summary>
    public int Held => _held;

    public IDisposable Pin(string src)
    {
        Interlocked.Increment(ref _pins);
        Interlocked.Increment(ref _held);
        return new Release(this);
    }

    public async Task<LocalMedia> GetAsync(string src, CancellationToken cancellationToken)
    {
        if (src.Contains("refused", StringComparison.Ordinal))
        {
            throw new MediaException("MEDIA_URL_REFUSED", "private address");
        }
        var path = media.PathOf(src[Base.Length..]);
        if (path.EndsWith("corrupt.mp4", StringComparison.Ordinal))
        {
            // As if the file changed after it was probed: FFmpeg itself must fail cleanly.
            return new LocalMedia(path, "mov", 3, true, true, 320, 240, 0, 25, false);
        }
        var a = await FFProbe.AnalyseAsync(path, null, null, cancellationToken);
        var v = a.PrimaryVideoStream;
        var format = a.Format.FormatName.Split(',')[0];
        var isImage = format.EndsWith("_pipe", StringComparison.Ordinal) || format == "image2";
        return new LocalMedia(path, format, isImage ? null : a.Duration.TotalSeconds, v is not null, a.PrimaryAudioStream is not null,
            v?.Width ?? 0, v?.Height ?? 0, v?.Rotation ?? 0, v?.AverageFrameRate ?? 0, isImage)
        {
            VideoCodec = v?.CodecName,
            PixelFormat = v?.PixelFormat,
        };
    }

    public Task<string> GetFileAsync(string src, long maxBytes, CancellationToken cancellationToken) =>
        src.Contains("refused", StringComparison.Ordinal)
            ? throw new MediaException("MEDIA_URL_REFUSED", "private address")
            : Task.FromResult(media.PathOf(src[Base.Length..]));

    private sealed class Release(ProbingMediaSource source) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref source._held);
    }
}
