using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// Per-key caps on long-lived streams held open at once, over every facade: each open stream holds
/// a slot in Redis under a lease this process renews (<see cref="RenewAsync"/>, every
/// <see cref="RenewEvery"/>) until the stream closes, so a facade that dies frees its slots when
/// their leases lapse.
/// </summary>
public sealed class StreamSlots(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    /// <summary>How long a slot outlives its last renewal.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>How often this process renews the slots of its open streams.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly ConcurrentDictionary<StreamSlot, byte> _open = new();

    /// <summary>Streams this process holds open.</summary>
    public int OpenCount => _open.Count;

    /// <summary>A slot for one more stream of <paramref name="keyId"/>, or a refusal when it holds <paramref name="maxStreams"/> already.</summary>
    public async Task<StreamDecision> OpenAsync(string keyId, int maxStreams)
    {
        var slot = new StreamSlot(this, $"{_prefix}streams:{keyId}", Guid.NewGuid().ToString("N"));
        var r = (RedisResult[])(await redis.GetDatabase().RunAsync("stream_open", _prefix, time,
            keyId, slot.Id, Math.Max(1, maxStreams), (long)Lease.TotalMilliseconds))!;
        var opened = (long)r[0] == 1;
        if (opened)
        {
            _open[slot] = 0;
        }

        return new StreamDecision(opened ? slot : null, maxStreams, (int)(long)r[1]);
    }

    /// <summary>Extends the leases of every stream open here; a slot already closed is not brought back.</summary>
    public async Task RenewAsync()
    {
        var db = redis.GetDatabase();
        var until = time.GetUtcNow().Add(Lease).ToUnixTimeMilliseconds();
        var renewals = _open.Keys.Select(slot => db.SortedSetAddAsync(slot.Key, slot.Id, until, SortedSetWhen.Exists)).ToList();
        var keys = _open.Keys.Select(s => s.Key).Distinct(StringComparer.Ordinal)
            .Select(key => db.KeyExpireAsync(key, Lease)).ToList();
        await Task.WhenAll(renewals.Concat<Task>(keys));
    }

    private async Task CloseAsync(StreamSlot slot)
    {
        if (_open.TryRemove(slot, out _))
        {
            try
            {
                await redis.GetDatabase().SortedSetRemoveAsync(slot.Key, slot.Id);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // No longer renewed: the slot frees itself when its lease lapses.
            }
        }
    }

    /// <summary>One open stream's slot; disposing it frees the slot.</summary>
    public sealed class StreamSlot : IAsyncDisposable
    {
        private readonly StreamSlots _owner;

        internal StreamSlot(StreamSlots owner, string key, string id)
        {
            _owner = owner;
            Key = key;
            Id = id;
        }

        internal string Key { get; }

        internal string Id { get; }

        public ValueTask DisposeAsync() => new(_owner.CloseAsync(this));
    }
}

/// <summary>Outcome of opening a stream.</summary>
/// <param name="Slot">The slot to dispose when the stream closes; null when refused.</param>
/// <param name="MaxStreams">The key's cap.</param>
/// <param name="Open">Streams the key holds open (with this one, when opened).</param>
public sealed record StreamDecision(StreamSlots.StreamSlot? Slot, int MaxStreams, int Open)
{
    /// <summary>Whether the stream may open.</summary>
    public bool Allowed => Slot is not null;
}
