using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Diagnostics;
using RenderFarm.Coordinator.Gateway;
using RenderFarm.Coordinator.Scheduling;
using RenderFarm.State;
using StackExchange.Redis;

namespace RenderFarm.Coordinator.Leasing;

/// <summary>
/// Requeues productions whose lease expired (their node died or lost its way), or fails them once
/// their attempts are spent. Safe to run on every coordinator: each expiry is handled by one script run.
/// </summary>
internal sealed partial class LeaseReaper(
    LeaseStore leases,
    NodeRegistry registry,
    ChunkedRenders chunked,
    TimeProvider time,
    IOptions<CoordinatorOptions> options,
    ILogger<LeaseReaper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReapInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReapOnceAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task<int> ReapOnceAsync()
    {
        try
        {
            var reaped = await leases.ReapAsync(100);
            foreach (var r in reaped)
            {
                LeaseExpired(logger, r.ProductionId, r.State.ToString().ToUpperInvariant());
                CoordinatorMetrics.Expired(r);
                await chunked.CleanUpAsync(r.Part);
            }

            if (reaped.Count > 0)
            {
                registry.Wake();
            }

            return reaped.Count;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            ReapFailed(logger, e.Message);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease on production {ProductionId} expired; now {State}")]
    private static partial void LeaseExpired(ILogger logger, string productionId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaping skipped, farm state unavailable: {Error}")]
    private static partial void ReapFailed(ILogger logger, string error);
}
