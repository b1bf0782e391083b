using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Views;

/// <summary>
/// Turns stored productions into what callers (API reads, webhooks) see: result URLs are minted
/// fresh on every read; an output the retention sweep deleted shows as an expired result without URLs.
/// </summary>
public sealed class ProductionViews(IObjectStore store, IOptions<StorageOptions> storage)
{
    /// <summary>The production as its owner sees it.</summary>
    public async Task<Production> ViewAsync(StoredProduction stored, CancellationToken ct)
    {
        var view = stored.Production.Clone();
        if (view.State == Production.Types.State.Succeeded && stored.Output is { } output)
        {
            view.Result = new ProductionResult
            {
                SizeBytes = output.SizeBytes,
                Duration = output.Duration,
                Width = output.Width,
                Height = output.Height,
                Fps = output.Fps,
                ContentType = output.ContentType,
                Expired = stored.OutputExpired,
                Transcript = { output.Transcript },
            };
            view.Result.Stills.Add(output.Stills.Select(s => new StillImage { Time = s.Time, FrameTime = s.FrameTime, ContentType = s.ContentType, SizeBytes = s.SizeBytes }));
            view.Result.Sidecars.Add(output.Sidecars.Select(s => new SidecarFile { Format = s.Sidecar, ContentType = s.ContentType, SizeBytes = s.SizeBytes }));
            view.Result.Renditions.Add(output.Renditions.Select(r => new RenditionResult
            {
                Name = r.Name, Width = r.Width, Height = r.Height, SizeBytes = r.SizeBytes, Duration = r.Duration, ContentType = r.ContentType,
            }));
            if (stored.OutputExpired)
            {
                return view;
            }

            var ttl = storage.Value.DownloadUrlTtl;
            var url = await store.PresignGetAsync(output.ObjectKey, ttl, ct);
            view.Result.Url = url.Url.ToString();
            view.Result.UrlExpireTime = Timestamp.FromDateTimeOffset(url.ExpiresAt);
            if (output.PosterObjectKey.Length > 0)
            {
                view.Result.PosterUrl = (await store.PresignGetAsync(output.PosterObjectKey, ttl, ct)).Url.ToString();
            }

            for (var i = 0; i < output.Stills.Count; i++)
            {
                view.Result.Stills[i].Url = (await store.PresignGetAsync(output.Stills[i].ObjectKey, ttl, ct)).Url.ToString();
            }

            for (var i = 0; i < output.Sidecars.Count; i++)
            {
                view.Result.Sidecars[i].Url = (await store.PresignGetAsync(output.Sidecars[i].ObjectKey, ttl, ct)).Url.ToString();
            }

            for (var i = 0; i < output.Renditions.Count; i++)
            {
                view.Result.Renditions[i].Url = (await store.PresignGetAsync(output.Renditions[i].ObjectKey, ttl, ct)).Url.ToString();
            }
        }

        return view;
    }
}
