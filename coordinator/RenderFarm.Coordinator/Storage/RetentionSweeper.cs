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
    ILogger<RetentionSweeper> logger) : PeriodicSweeper(time, logger)
{
    protected override TimeSpan Interval => storage.Value.RetentionSweepInterval;

    protected override bool Enabled => storage.Value.Retention > TimeSpan.Zero;

    protected override string Name => "Retention";

    /// <summary>Expires every output that succeeded more than the retention ago; returns how many.</summary>
    internal override Task<int> SweepOnceAsync(CancellationToken ct) => DrainAsync(
        max => outputs.EndedBeforeAsync(Time.GetUtcNow() - storage.Value.Retention, max),
        async id =>
        {
            await store.DeletePrefixAsync(ProductionStore.ObjectPrefix(id), ct);
            await outputs.ExpireAsync(id);
            CoordinatorMetrics.OutputsExpired.Inc();
            Expired(logger, id);
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Output of production {ProductionId} passed its retention; deleted")]
    private static partial void Expired(ILogger logger, string productionId);
}
