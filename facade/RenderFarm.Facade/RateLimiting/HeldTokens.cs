using System.Collections.Concurrent;
using RenderFarm.State;

namespace RenderFarm.Facade.RateLimiting;

/// <summary>
/// Requests a facade has taken from a key's bucket in Redis ahead of need and hands out itself, so
/// a key that calls fast costs one script call per batch instead of one per request (the profile of
/// GET /v1/productions/{id} had the bucket script as one of its three Redis round trips).
/// <para>
/// A key that calls slowly takes one token per request, exactly as before: a batch is asked for only
/// when the tokens of the previous take ran out within <see cref="Window"/>, and it doubles with each
/// such take, up to a tenth of the burst (at most <see cref="MaxBatch"/>). Held tokens were taken from
/// the shared bucket, so several facades together never allow more than the limit; tokens held
/// longer than <see cref="Lifetime"/> are dropped (the key under-spends by at most one batch), so a
/// key that stops calling cannot save tokens for later.
/// </para>
/// </summary>
internal sealed class HeldTokens(RequestBuckets buckets, TimeProvider time)
{
    /// <summary>Most tokens taken in one call.</summary>
    public const int MaxBatch = 64;

    /// <summary>A take this soon after the previous one means the key calls fast.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    /// <summary>How long held tokens stay usable.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private const int MaxBuckets = 10_000;
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);

    /// <summary>One request from <paramref name="bucket"/>: from the held tokens, else from Redis.</summary>
    public async Task<RateDecision> TakeAsync(string bucket, int perMinute, int burst)
    {
        if (_held.Count > MaxBuckets)
        {
            _held.Clear();
        }

        var held = _held.GetOrAdd(bucket, _ => new Held());
        var now = time.GetTimestamp();
        int want;
        lock (held)
        {
            var age = time.GetElapsedTime(held.TakenAt, now);
            if (held.Tokens > 0 && age < Lifetime && held.PerMinute == perMinute && held.Burst == burst)
            {
                held.Tokens--;
                held.Served++;
                return held.Last! with { Remaining = held.Last.Remaining + held.Tokens };
            }

            want = held.Last is not null && age < Window ? Math.Min(BatchOf(burst), Math.Max(1, held.Served * 2)) : 1;
        }

        var decision = await buckets.TakeAsync(bucket, perMinute, burst, want);
        lock (held)
        {
            // Whatever an earlier take left is dropped: tokens are only ever under-spent.
            held.Tokens = Math.Max(0, decision.Granted - 1);
            held.Served = 1;
            held.TakenAt = now;
            held.PerMinute = perMinute;
            held.Burst = burst;
            held.Last = decision;
        }

        return decision with { Remaining = decision.Remaining + Math.Max(0, decision.Granted - 1) };
    }

    /// <summary>The largest batch a bucket of <paramref name="burst"/> is taken in.</summary>
    public static int BatchOf(int burst) => Math.Clamp(burst / 10, 1, MaxBatch);

    private sealed class Held
    {
        public int Tokens;
        public int Served;
        public long TakenAt;
        public int PerMinute;
        public int Burst;
        public RateDecision? Last;
    }
}
