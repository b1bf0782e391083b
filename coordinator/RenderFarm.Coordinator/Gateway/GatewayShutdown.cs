using RenderFarm.Coordinator.Diagnostics;

namespace RenderFarm.Coordinator.Gateway;

/// <summary>
/// Graceful stop of a coordinator (SIGTERM): when the application starts stopping, before Kestrel
/// waits for open requests, every node stream is closed with UNAVAILABLE / COORDINATOR_SHUTDOWN,
/// which nodes take as "reconnect elsewhere now". Dispatch stops with it (closed sessions have no
/// free slots). Leases stay as they are: the nodes keep rendering and renew them, and report
/// results, through whichever coordinator they reach next.
/// </summary>
internal sealed partial class GatewayShutdown(NodeRegistry registry, IHostApplicationLifetime lifetime, ILogger<GatewayShutdown> logger) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            ClosingStreams(logger, registry.Count);
            registry.CloseAll();
            CoordinatorMetrics.ConnectedNodes.Set(0);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _stopping.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: closing {Nodes} node streams so their nodes reconnect elsewhere")]
    private static partial void ClosingStreams(ILogger logger, int nodes);
}
