using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RenderFarm.State;
using StackExchange.Redis;

namespace RenderFarm.Facade.Auth;

/// <summary>
/// Keys looked up by their raw value, kept in process for <see cref="Ttl"/> so an authenticated
/// request does not cost a Redis round trip (the profile of GET /v1/productions/{id} had the lookup
/// as one of its three). A key that changes (revoked, new limits) is dropped at once: the store
/// publishes its id on <see cref="ApiKeyStore.ChangedChannel"/> and every cache subscribed to it
/// forgets the key, so a revoked key is refused by every facade within a publish's latency; if a
/// notification is lost with the connection, the cache is cleared when it comes back, and at worst
/// an entry lives <see cref="Ttl"/>. Unknown keys are never cached (nothing to grow by guessing).
/// </summary>
internal sealed class ApiKeyCache(ApiKeyStore store, IConnectionMultiplexer redis, TimeProvider time, IOptions<AuthOptions> options) : IHostedService
{
    /// <summary>Entries kept at most; past it the cache starts again empty (keys in use come back at once).</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How long a looked-up key is trusted without asking Redis; zero turns the cache off.</summary>
    public TimeSpan Ttl { get; } = options.Value.KeyCacheTtl;

    /// <summary>The key a raw value names (revoked keys included), or null; from the cache while it is fresh.</summary>
    public async Task<StoredApiKey?> FindAsync(string raw)
    {
        if (Ttl <= TimeSpan.Zero)
        {
            return await store.FindAsync(raw);
        }

        var now = time.GetTimestamp();
        if (_entries.TryGetValue(raw, out var entry) && time.GetElapsedTime(entry.Stamp, now) < Ttl)
        {
            return entry.Key;
        }

        var key = await store.FindAsync(raw);
        if (key is null)
        {
            _entries.TryRemove(raw, out _);
            return null;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[raw] = new Entry(key, now);
        return key;
    }

    /// <summary>Forgets every cached entry of the key with id <paramref name="keyId"/>.</summary>
    public void Forget(string keyId)
    {
        foreach (var (raw, entry) in _entries)
        {
            if (entry.Key.Id == keyId)
            {
                _entries.TryRemove(raw, out _);
            }
        }
    }

    /// <summary>Entries held now (for tests and metrics).</summary>
    public int Count => _entries.Count;

    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (Ttl <= TimeSpan.Zero)
        {
            return;
        }

        // A notification missed while the connection was down could leave a revoked key cached.
        redis.ConnectionRestored += (_, _) => _entries.Clear();
        await redis.GetSubscriber().SubscribeAsync(store.ChangedChannel, (_, id) => Forget(id.ToString()));
    }

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private readonly record struct Entry(StoredApiKey Key, long Stamp);
}
