using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Api;

/// <summary>Turns stored productions into what callers see: result URLs are minted fresh on every read.</summary>
internal sealed class ProductionViews(IObjectStore store, IOptions<StorageOptions> storage)
{
    public async Task<Production> ViewAsync(StoredProduction stored, CancellationToken ct)
    {
        var view = stored.Production.Clone();
        if (view.State == Production.Types.State.Succeeded && stored.Output is { } output)
        {
            var ttl = storage.Value.DownloadUrlTtl;
            var url = await store.PresignGetAsync(output.ObjectKey, ttl, ct);
            view.Result = new ProductionResult
            {
                Url = url.Url.ToString(),
                UrlExpireTime = Timestamp.FromDateTimeOffset(url.ExpiresAt),
                SizeBytes = output.SizeBytes,
                Duration = output.Duration,
                Width = output.Width,
                Height = output.Height,
                Fps = output.Fps,
                ContentType = output.ContentType,
            };
            if (output.PosterObjectKey.Length > 0)
            {
                view.Result.PosterUrl = (await store.PresignGetAsync(output.PosterObjectKey, ttl, ct)).Url.ToString();
            }
        }

        return view;
    }
}
