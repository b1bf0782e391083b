using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RenderFarm.Node.Media;

/// <summary>
/// The node's <see cref="IMediaSource"/>: SSRF-guarded fetch, content-addressed cache, ffprobe
/// vetting. Concurrent requests for one URL share a single fetch.
/// </summary>
internal sealed partial class HttpMediaSource(
    MediaFetcher fetcher, MediaCache cache, MediaProber prober, ILogger<HttpMediaSource> logger) : IMediaSource
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LocalMedia>>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalMedia> _probed = new(StringComparer.Ordinal);

    public async Task<LocalMedia> GetAsync(string src, CancellationToken cancellationToken)
    {
        var uri = SsrfGuard.ParseUrl(src);
        var url = uri.AbsoluteUri;
        // The shared load is bounded by the fetch and probe timeouts, not by any one caller.
        return await Share(uri, url).WaitAsync(cancellationToken);
    }

    public IDisposable Pin(string src)
    {
        try
        {
            return cache.Pin(SsrfGuard.ParseUrl(src).AbsoluteUri);
        }
        catch (MediaException)
        {
            // GetAsync refuses the same URL with its reason; there is nothing to keep.
            return NoPin.Instance;
        }
    }

    /// <summary>The load of <paramref name="url"/> already under way, or a new one that leaves the table when done.</summary>
    private Task<LocalMedia> Share(Uri uri, string url)
    {
        Lazy<Task<LocalMedia>>? created = null;
        var load = _inFlight.GetOrAdd(url, _ => created = new Lazy<Task<LocalMedia>>(() => LoadAsync(uri)));
        if (ReferenceEquals(load, created))
        {
            _ = load.Value.ContinueWith(_ => _inFlight.TryRemove(KeyValuePair.Create(url, load)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return load.Value;
    }

    private async Task<LocalMedia> LoadAsync(Uri uri)
    {
        var url = uri.AbsoluteUri;
        if (cache.Find(url) is { } hit)
        {
            CacheHit(logger, uri.Host, hit.Hash);
            return _probed.TryGetValue(hit.Hash, out var known)
                ? known
                : _probed[hit.Hash] = await prober.ProbeAsync(hit.Path, CancellationToken.None);
        }
        var temp = cache.NewTempPath();
        try
        {
            var (size, hash) = await fetcher.FetchAsync(uri, temp, CancellationToken.None);
            var probed = await prober.ProbeAsync(temp, CancellationToken.None);
            var media = probed with { Path = cache.Commit(temp, hash, size, url) };
            _probed[hash] = media;
            return media;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media from {Host} found in cache as {Hash}")]
    private static partial void CacheHit(ILogger logger, string host, string hash);
}
