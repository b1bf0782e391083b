using Microsoft.Extensions.Diagnostics.HealthChecks;
using RenderFarm.Contracts;
using StackExchange.Redis;

namespace RenderFarm.Hosting;

/// <summary>Readiness: the process serves only while Redis answers a ping (also what grpc.health.v1 reports).</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"redis ping {latency.TotalMilliseconds:F1} ms",
                new Dictionary<string, object> { ["redisMs"] = latency.TotalMilliseconds });
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("REDIS_UNAVAILABLE: " + e.Message,
                data: new Dictionary<string, object> { ["reason"] = ErrorReasons.RedisUnavailable, ["message"] = e.Message });
        }
    }
}
