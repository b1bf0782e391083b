using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>Per-key token buckets for request rate limits, one Lua script per take (Redis and Garnet alike).</summary>
public sealed class RequestBuckets(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    /// <summary>
    /// Takes up to <paramref name="want"/> requests (at least one, or the request is refused) from
    /// <paramref name="keyId"/>'s bucket of <paramref name="burst"/>, refilled at <paramref name="requestsPerMinute"/>.
    /// </summary>
    public async Task<RateDecision> TakeAsync(string keyId, int requestsPerMinute, int burst, int want = 1)
    {
        var r = (RedisResult[])(await redis.GetDatabase().RunAsync("ratelimit", options.Value.KeyPrefix, time,
            keyId, requestsPerMinute, Math.Max(1, burst), Math.Max(1, want)))!;
        return new RateDecision((long)r[0] == 1, requestsPerMinute, Math.Max(1, burst), (int)(long)r[1],
            TimeSpan.FromMilliseconds((long)r[2]), TimeSpan.FromMilliseconds((long)r[3])) { Granted = (int)(long)r[4] };
    }
}

/// <summary>Outcome of one request against a bucket.</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="RequestsPerMinute">Refill rate.</param>
/// <param name="Burst">Bucket size.</param>
/// <param name="Remaining">Whole requests left.</param>
/// <param name="RetryAfter">When refused: until a request is allowed again.</param>
/// <param name="Reset">Until the bucket is full again.</param>
public sealed record RateDecision(bool Allowed, int RequestsPerMinute, int Burst, int Remaining, TimeSpan RetryAfter, TimeSpan Reset)
{
    /// <summary>Requests the take granted (one for this request, the rest held by the caller's facade).</summary>
    public int Granted { get; init; } = Allowed ? 1 : 0;
}
