using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RenderFarm.Node.Agent;

/// <summary>Liveness of a node: its agent holds a stream to a coordinator.</summary>
internal sealed class AgentHealthCheck(NodeAgent agent) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connected = agent.Connected;
        var data = new Dictionary<string, object>
        {
            ["status"] = connected ? "connected" : "disconnected",
            ["activeRenders"] = agent.ActiveJobs,
        };
        return Task.FromResult(connected ? HealthCheckResult.Healthy(data: data) : HealthCheckResult.Unhealthy(data: data));
    }
}
