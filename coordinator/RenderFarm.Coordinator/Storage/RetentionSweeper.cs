using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Diagnostics;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Coordinator.Storage;

/// <summary>
/// Deletes outputs older than <see cref="StorageOptions.Retention"/> (counted from when their
/// production succeeded) and marks the production's result expired. Idle when retention is zero.
/// Several coordinators may sweep at once: deleting a prefix twice is harmless.
/// </summary>
internal sealed partial class RetentionSweeper(
    OutputIndex outputs,
    IObjectStore store,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = storage.Value;
        if (options.Retention <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(options.Retention, stoppingToken);
                await Task.Delay(options.RetentionSweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SweepFailed(logger, e.Message);
                await Task.Delay(options.RetentionSweepInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>Expires every output that succeeded more than <paramref name="retention"/> ago; returns how many.</summary>
    internal async Task<int> SweepAsync(TimeSpan retention, CancellationToken ct)
    {
        var expired = 0;
        while (true)
        {
            var ids = await outputs.EndedBeforeAsync(time.GetUtcNow() - retention, Batch);
            foreach (var id in ids)
            {
                // Objects first: a crash in between leaves the index entry, and the next sweep finishes it.
                await store.DeletePrefixAsync(ProductionStore.ObjectPrefix(id), ct);
                await outputs.ExpireAsync(id);
                CoordinatorMetrics.OutputsExpired.Inc();
                Expired(logger, id);
                expired++;
            }

            if (ids.Count < Batch)
            {
                return expired;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Output of production {ProductionId} passed its retention; deleted")]
    private static partial void Expired(ILogger logger, string productionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed: {Error}")]
    private static partial void SweepFailed(ILogger logger, string error);
}
