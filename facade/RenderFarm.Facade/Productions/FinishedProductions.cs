using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using StackExchange.Redis;

namespace RenderFarm.Facade.Productions;

/// <summary>
/// Finished productions (SUCCEEDED, FAILED, CANCELLED) as their owners see them, kept in process so
/// that reading one again costs no Redis round trip and no view (the profile of
/// GET /v1/productions/{id} had the read, its reply and the view at about half of the request), and
/// over REST no JSON writing (<see cref="FinishedProductionReads"/>). Finished productions are what
/// dashboards, download links and clients that poll to the end read most, and they change only when
/// deleted or when their output expires. Both publish the id on
/// <see cref="ProductionStore.FinishedChangedChannel"/>, and every facade drops it; a delete through
/// this facade drops it before answering. A read that raced such a change is not kept (a generation
/// count), a notification lost with the connection clears the cache when it comes back, and at worst
/// an entry lives <see cref="FacadeOptions.FinishedCacheTtl"/>. Productions still running are never
/// kept: they change several times a second.
/// </summary>
internal sealed class FinishedProductions(ProductionStore store, IConnectionMultiplexer redis, TimeProvider time, IOptions<FacadeOptions> options) : IHostedService
{
    /// <summary>Entries kept at most; past it the stale ones are dropped, and if that is not enough, all.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Size of the kept views (their protobuf encoding; canvases can be large) at most, likewise.</summary>
    public const long MaxBytes = 32L << 20;

    private long _bytes;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>How long an entry lives at most; zero turns the cache off.</summary>
    public TimeSpan Ttl { get; } = options.Value.FinishedCacheTtl;

    /// <summary>Entries held now (for tests).</summary>
    public int Count => _entries.Count;

    /// <summary>The fresh entry of production <paramref name="id"/> of <paramref name="tenant"/>, or null.</summary>
    public Entry? Find(string tenant, string id) =>
        _entries.TryGetValue(id, out var entry) && entry.Tenant == tenant && time.GetUtcNow() < entry.Until ? entry : null;

    /// <summary>Where a read starts: pass it to <see cref="Keep"/> so a read that raced a change is not kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Keeps <paramref name="view"/>, read at <paramref name="generation"/>, when its production is finished.</summary>
    public void Keep(string tenant, string id, Production view, long generation)
    {
        if (Ttl <= TimeSpan.Zero || !view.State.IsFinal())
        {
            return;
        }

        var now = time.GetUtcNow();
        var life = Ttl;
        if (view.Result?.UrlExpireTime is { } expires)
        {
            // A cached URL is handed out older than a fresh one; keep that to a tenth of its life.
            var left = expires.ToDateTimeOffset() - now;
            life = left / 10 < life ? left / 10 : life;
        }

        if (life <= TimeSpan.Zero)
        {
            return;
        }

        var entry = new Entry(tenant, view, now + life, view.CalculateSize());
        if (_entries.Count >= MaxEntries || Interlocked.Read(ref _bytes) + entry.Size > MaxBytes)
        {
            Sweep(now);
        }

        Remove(id);
        if (!_entries.TryAdd(id, entry))
        {
            return;
        }

        Interlocked.Add(ref _bytes, entry.Size);
        // A change heard while this read was on its way may have missed the entry just added.
        if (Generation != generation && _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry)))
        {
            Interlocked.Add(ref _bytes, -entry.Size);
        }
    }

    /// <summary>Drops production <paramref name="id"/> (deleted, its output expired).</summary>
    public void Forget(string id)
    {
        Interlocked.Increment(ref _generation);
        Remove(id);
    }

    private void Remove(string id)
    {
        if (_entries.TryRemove(id, out var gone))
        {
            Interlocked.Add(ref _bytes, -gone.Size);
        }
    }

    // Drops the stale entries; when the fresh ones alone are too many, all of them.
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, entry) in _entries)
        {
            if (entry.Until <= now && _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry)))
            {
                Interlocked.Add(ref _bytes, -entry.Size);
            }
        }

        if (_entries.Count >= MaxEntries || Interlocked.Read(ref _bytes) > MaxBytes / 2)
        {
            Clear();
        }
    }

    private void Clear()
    {
        foreach (var id in _entries.Keys)
        {
            Remove(id);
        }
    }

    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (Ttl <= TimeSpan.Zero)
        {
            return;
        }

        redis.ConnectionRestored += (_, _) =>
        {
            Interlocked.Increment(ref _generation);
            Clear();
        };
        await redis.GetSubscriber().SubscribeAsync(store.FinishedChangedChannel, (_, id) => Forget(id.ToString()));
    }

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A kept production: its view (shared: never change it) and, once a REST read has written it, its JSON.</summary>
    public sealed class Entry(string tenant, Production view, DateTimeOffset until, int size)
    {
        internal int Size { get; } = size;

        public string Tenant { get; } = tenant;

        public Production View { get; } = view;

        public DateTimeOffset Until { get; } = until;

        /// <summary>The response transcoding wrote for <see cref="View"/>; set once.</summary>
        public JsonResponse? Json { get; set; }
    }

    /// <summary>A response body and its content type.</summary>
    public sealed record JsonResponse(byte[] Body, string ContentType);
}
