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
    ILogger<DeletedAssetSweeper> logger) : PeriodicSweeper(time, logger)
{
    protected override TimeSpan Interval => storage.Value.RetentionSweepInterval;

    protected override string Name => "Deleted-asset";

    /// <summary>Deletes what remains of every deleted asset whose uploads have ended; returns how many.</summary>
    internal override Task<int> SweepOnceAsync(CancellationToken ct) => DrainAsync(
        max => assets.DeletedBeforeAsync(Time.GetUtcNow(), max),
        async id =>
        {
            var late = await store.DeletePrefixAsync(AssetStore.ObjectPrefix(id), ct);
            await assets.ForgetDeletedAsync(id);
            if (late > 0)
            {
                LateUploadDeleted(logger, id, late);
            }
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Objects} objects uploaded to asset {AssetId} after it was deleted")]
    private static partial void LateUploadDeleted(ILogger logger, string assetId, int objects);
}
