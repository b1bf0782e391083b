using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RenderFarm.Node.Media;

/// <summary>
/// The node's <see cref="IMediaSource"/>: SSRF-guarded fetch, content-addressed cache, ffprobe
/// vetting (media) or none (plain files such as fonts, which their user vets). Concurrent
/// requests for one URL share a single fetch.
/// </summary>
internal sealed partial class HttpMediaSource(
    MediaFetcher fetcher, MediaCache cache, MediaProber prober, ILogger<HttpMediaSource> logger) : IMediaSource
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LocalMedia>>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _filesInFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalMedia> _probed = new(StringComparer.Ordinal);

    public async Task<LocalMedia> GetAsync(string src, CancellationToken cancellationToken)
    {
        var uri = SsrfGuard.ParseUrl(src);
        // The shared load is bounded by the fetch and probe timeouts, not by any one caller.
        return await Share(_inFlight, uri.AbsoluteUri, () => LoadAsync(uri)).WaitAsync(cancellationToken);
    }

    public async Task<string> GetFileAsync(string src, long maxBytes, CancellationToken cancellationToken)
    {
        var uri = SsrfGuard.ParseUrl(src);
        return await Share(_filesInFlight, uri.AbsoluteUri, async () =>
        {
            if (cache.Find(uri.AbsoluteUri) is { } hit)
            {
                CacheHit(logger, uri.Host, hit.Hash);
                return hit.Path;
            }
            return (await FetchAsync(uri, maxBytes, _ => Task.CompletedTask)).Path;
        }).WaitAsync(cancellationToken);
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
    private static Task<T> Share<T>(ConcurrentDictionary<string, Lazy<Task<T>>> table, string url, Func<Task<T>> start)
    {
        Lazy<Task<T>>? created = null;
        var load = table.GetOrAdd(url, _ => created = new Lazy<Task<T>>(start));
        if (ReferenceEquals(load, created))
        {
            _ = load.Value.ContinueWith(_ => table.TryRemove(KeyValuePair.Create(url, load)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return load.Value;
    }

    private async Task<LocalMedia> LoadAsync(Uri uri)
    {
        if (cache.Find(uri.AbsoluteUri) is { } hit)
        {
            CacheHit(logger, uri.Host, hit.Hash);
            return _probed.TryGetValue(hit.Hash, out var known)
                ? known
                : _probed[hit.Hash] = await prober.ProbeAsync(hit.Path, CancellationToken.None);
        }
        LocalMedia? probed = null;
        var (hash, path) = await FetchAsync(uri, null, async temp => probed = await prober.ProbeAsync(temp, CancellationToken.None));
        return _probed[hash] = probed! with { Path = path };
    }

    // Fetches into a temp file, lets vet refuse it before it is cached, commits it; returns its hash and cached path.
    private async Task<(string Hash, string Path)> FetchAsync(Uri uri, long? maxBytes, Func<string, Task> vet)
    {
        var temp = cache.NewTempPath();
        try
        {
            var (size, hash) = await fetcher.FetchAsync(uri, temp, CancellationToken.None, maxBytes);
            await vet(temp);
            return (hash, cache.Commit(temp, hash, size, uri.AbsoluteUri));
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media from {Host} found in cache as {Hash}")]
    private static partial void CacheHit(ILogger logger, string host, string hash);
}
