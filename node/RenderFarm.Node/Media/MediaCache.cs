using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RenderFarm.Node.Media;

/// <summary>
/// Content-addressed files (<c>objects/{sha256}</c>) with a URL → hash index (<c>index/{sha256(url)}</c>),
/// evicted least-recently-used past <see cref="MediaOptions.CacheMaxBytes"/>.
/// </summary>
internal sealed partial class MediaCache
{
    private readonly Lock _gate = new();
    private readonly MediaOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MediaCache> _logger;
    private readonly string _objects;
    private readonly string _index;
    private readonly string _temp;
    // Pinned URL → renders holding it, and → the hash it was last found or committed as: those objects stay.
    private readonly Dictionary<string, int> _pins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hashOfUrl = new(StringComparer.Ordinal);
    private Dictionary<string, (long Size, long LastUsed)>? _entries;
    private long _total;

    public MediaCache(IOptions<MediaOptions> options, TimeProvider time, ILogger<MediaCache> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var root = Path.GetFullPath(_options.CacheDirectory);
        _objects = Path.Combine(root, "objects");
        _index = Path.Combine(root, "index");
        _temp = Path.Combine(root, "tmp");
    }

    /// <summary>A fresh path for a download in progress, on the cache's file system so the commit is a rename.</summary>
    public string NewTempPath()
    {
        EnsureLoaded();
        return Path.Combine(_temp, Guid.NewGuid().ToString("N"));
    }

    /// <summary>The cached file and its hash for <paramref name="url"/>, or null.</summary>
    public (string Hash, string Path)? Find(string url)
    {
        EnsureLoaded();
        var indexPath = IndexPathOf(url);
        if (!File.Exists(indexPath))
        {
            return null;
        }
        var hash = File.ReadAllText(indexPath).Trim();
        lock (_gate)
        {
            if (!_entries!.TryGetValue(hash, out var entry) || !File.Exists(ObjectPathOf(hash)))
            {
                return null;
            }
            _entries[hash] = entry with { LastUsed = _time.GetTimestamp() };
            NotePinnedLocked(url, hash);
        }
        return (hash, ObjectPathOf(hash));
    }

    /// <summary>Keeps whatever <paramref name="url"/> resolves to, now or once fetched, from eviction until disposed.</summary>
    public IDisposable Pin(string url)
    {
        lock (_gate)
        {
            _pins[url] = _pins.GetValueOrDefault(url) + 1;
        }
        return new PinHandle(this, url);
    }

    private void Unpin(string url)
    {
        lock (_gate)
        {
            if (--_pins[url] == 0)
            {
                _pins.Remove(url);
                _hashOfUrl.Remove(url);
            }
        }
    }

    private void NotePinnedLocked(string url, string hash)
    {
        if (_pins.ContainsKey(url))
        {
            _hashOfUrl[url] = hash;
        }
    }

    /// <summary>Moves a fetched file into the cache, indexes it under <paramref name="url"/>, evicts past the cap.</summary>
    public string Commit(string tempPath, string hash, long size, string url)
    {
        var path = ObjectPathOf(hash);
        lock (_gate)
        {
            if (_entries!.ContainsKey(hash) && File.Exists(path))
            {
                File.Delete(tempPath);
            }
            else
            {
                File.Move(tempPath, path, overwrite: true);
                _total += size;
            }
            _entries[hash] = (size, _time.GetTimestamp());
            var indexTemp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
            File.WriteAllText(indexTemp, hash);
            File.Move(indexTemp, IndexPathOf(url), overwrite: true);
            NotePinnedLocked(url, hash);
            EvictLocked(keep: hash);
        }
        return path;
    }

    private void EvictLocked(string keep)
    {
        // Index files of evicted objects go stale; Find ignores them.
        var entries = _entries!;
        var pinned = _hashOfUrl.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var (hash, entry) in entries.Where(e => e.Key != keep && !pinned.Contains(e.Key)).OrderBy(e => e.Value.LastUsed).ToList())
        {
            if (_total <= _options.CacheMaxBytes)
            {
                return;
            }
            File.Delete(ObjectPathOf(hash));
            entries.Remove(hash);
            _total -= entry.Size;
            Evicted(_logger, hash, entry.Size);
        }
    }

    private void EnsureLoaded()
    {
        lock (_gate)
        {
            if (_entries is not null)
            {
                return;
            }
            Directory.CreateDirectory(_objects);
            Directory.CreateDirectory(_index);
            Directory.CreateDirectory(_temp);
            // Leftovers of a crashed process; another process sharing the directory may own fresh ones.
            var stale = _time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1);
            foreach (var leftover in new DirectoryInfo(_temp).GetFiles().Where(f => f.LastWriteTimeUtc < stale))
            {
                leftover.Delete();
            }
            // Older files rank as less recently used after a restart.
            var files = new DirectoryInfo(_objects).GetFiles().OrderBy(f => f.LastWriteTimeUtc).ToList();
            _entries = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            for (var i = 0; i < files.Count; i++)
            {
                _entries[files[i].Name] = (files[i].Length, i - files.Count);
                _total += files[i].Length;
            }
        }
    }

    private sealed class PinHandle(MediaCache cache, string url) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                cache.Unpin(url);
            }
        }
    }

    private string ObjectPathOf(string hash) => Path.Combine(_objects, hash);

    private string IndexPathOf(string url) =>
        Path.Combine(_index, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url))));

    [LoggerMessage(Level = LogLevel.Information, Message = "Evicted cached media {Hash} ({Size} bytes)")]
    private static partial void Evicted(ILogger logger, string hash, long size);
}
