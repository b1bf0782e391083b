using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace RenderFarm.Facade.Diagnostics;

/// <summary>Readiness for gRPC health checking (grpc.health.v1): the facade serves only while Redis answers a ping.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"redis ping {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("REDIS_UNAVAILABLE: " + e.Message);
        }
    }
}
