using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Coordinator.Assets;

/// <summary>
/// Turns a canvas's <c>asset://{id}</c> sources (media and fonts) into presigned GET URLs of the assets' objects, so
/// nodes fetch assets like any media URL and need no storage credentials. Each asset is checked as
/// stored (first use): it must exist, belong to the production's tenant, hold at most its declared
/// size and carry its declared content type (S3 presigned PUTs cannot enforce these on upload).
/// </summary>
internal sealed class AssetResolver(AssetStore assets, ProductionStore productions, IObjectStore store, IOptions<StorageOptions> storage)
{
    /// <summary>The canvas to send (the same instance when it has no assets), or the failure that ends the production.</summary>
    public async Task<(Canvas Canvas, RenderFailure? Failure)> ResolveAsync(string productionId, Canvas canvas, CancellationToken ct)
    {
        if (!CanvasSources.Of(canvas).Any(s => AssetStore.IdOf(s.Src) is not null))
        {
            return (canvas, null);
        }

        // A plan's preview job is filed under the tenant's preview account; the assets are the tenant's own.
        var tenant = (await productions.GetAnyAsync(productionId))?.Owner;
        var resolved = canvas.Clone();
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in CanvasSources.Of(resolved).ToList())
        {
            if (AssetStore.IdOf(source.Src) is not { } id)
            {
                continue;
            }

            if (!urls.TryGetValue(id, out var url))
            {
                var field = source.Field;
                var asset = await assets.GetAnyAsync(id);
                if (asset is null || asset.Tenant != tenant)
                {
                    return (canvas, Fail(ErrorReasons.AssetNotFound, $"{field}: asset '{id}' does not exist"));
                }

                var info = await store.StatAsync(asset.ObjectKey, ct);
                if (info is null)
                {
                    return (canvas, Fail(ErrorReasons.AssetNotUploaded, $"{field}: asset '{id}' has no uploaded bytes"));
                }

                if (info.SizeBytes > asset.SizeBytes)
                {
                    return (canvas, Fail(ErrorReasons.AssetTooLarge, $"{field}: asset '{id}' holds {info.SizeBytes} bytes, more than the {asset.SizeBytes} declared"));
                }

                if (info.ContentType is { Length: > 0 } stored && !SameMediaType(stored, asset.ContentType))
                {
                    return (canvas, Fail(ErrorReasons.ContentTypeMismatch, $"{field}: asset '{id}' was uploaded as {stored}, not {asset.ContentType}"));
                }

                url = (await store.PresignGetAsync(asset.ObjectKey, storage.Value.UploadUrlTtl, ct)).Url.ToString();
                urls[id] = url;
            }

            source.Set(url);
        }

        return (resolved, null);
    }

    private static RenderFailure Fail(string code, string message) => new() { Code = code, Message = message, Retryable = false };

    private static bool SameMediaType(string stored, string declared) =>
        string.Equals(stored.Split(';')[0].Trim(), declared, StringComparison.OrdinalIgnoreCase);
}
