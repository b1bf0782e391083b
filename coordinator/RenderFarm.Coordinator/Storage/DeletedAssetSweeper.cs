using Microsoft.Extensions.Options;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Coordinator.Storage;

/// <summary>
/// Deletes the bytes of deleted assets once more after their upload URLs have expired: DeleteAsset
/// removes what is stored, but a presigned PUT handed out earlier can still write until it expires
/// (neither the filesystem store nor S3 can revoke one). Runs every
/// <see cref="StorageOptions.RetentionSweepInterval"/>; deleting a prefix twice is harmless.
/// </summary>
internal sealed partial class DeletedAssetSweeper(
    AssetStore assets,
    IObjectStore store,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<DeletedAssetSweeper> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SweepFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(storage.Value.RetentionSweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Deletes what remains of every deleted asset whose uploads have ended; returns how many.</summary>
    internal async Task<int> SweepAsync(CancellationToken ct)
    {
        var swept = 0;
        while (true)
        {
            var ids = await assets.DeletedBeforeAsync(time.GetUtcNow(), Batch);
            foreach (var id in ids)
            {
                // Objects first: a crash in between leaves the index entry, and the next sweep finishes it.
                var late = await store.DeletePrefixAsync(AssetStore.ObjectPrefix(id), ct);
                await assets.ForgetDeletedAsync(id);
                if (late > 0)
                {
                    LateUploadDeleted(logger, id, late);
                }

                swept++;
            }

            if (ids.Count < Batch)
            {
                return swept;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Objects} objects uploaded to asset {AssetId} after it was deleted")]
    private static partial void LateUploadDeleted(ILogger logger, string assetId, int objects);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted-asset sweep failed: {Error}")]
    private static partial void SweepFailed(ILogger logger, string error);
}
