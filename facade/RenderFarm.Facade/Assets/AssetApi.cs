using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Paging;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Assets;

/// <summary>
/// AssetService: assets of the caller's tenant. Create records an asset and hands out the presigned
/// URL its bytes go to; delete drops the record first (so new productions and dispatches find it
/// missing) and then its bytes.
/// </summary>
internal sealed partial class AssetApi(
    AssetStore assets,
    IObjectStore objects,
    PageTokens pageTokens,
    IOptions<AssetOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<AssetApi> logger) : AssetService.AssetServiceBase
{
    /// <summary>Most assets one BatchCreateAssets may create.</summary>
    public const int MaxBatch = 50;

    /// <summary>The most bytes one asset may declare.</summary>
    private long MaxBytes => storage.Value.Kind == StorageKind.FileSystem
        ? Math.Min(options.Value.MaxBytes, storage.Value.MaxUploadBytes)
        : options.Value.MaxBytes;

    public override async Task<Asset> CreateAsset(CreateAssetRequest request, ServerCallContext context)
    {
        var violations = new List<Problems.Violation>();
        Check(request, "", violations);
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        return await CreateAsync(Tenancy.Resolve(context), request, context.CancellationToken);
    }

    public override async Task<BatchCreateAssetsResponse> BatchCreateAssets(BatchCreateAssetsRequest request, ServerCallContext context)
    {
        var violations = new List<Problems.Violation>();
        if (request.Requests.Count == 0)
        {
            violations.Add(new("requests", ErrorReasons.FieldRequired, "name at least one asset to create"));
        }
        else if (request.Requests.Count > MaxBatch)
        {
            violations.Add(new("requests", ErrorReasons.LimitExceeded, $"at most {MaxBatch} assets per call; this one has {request.Requests.Count}"));
        }
        else
        {
            for (var i = 0; i < request.Requests.Count; i++)
            {
                Check(request.Requests[i], $"requests[{i}].", violations);
            }
        }

        // All or nothing: one bad request creates none.
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        var tenant = Tenancy.Resolve(context);
        var response = new BatchCreateAssetsResponse();
        foreach (var item in request.Requests)
        {
            response.Assets.Add(await CreateAsync(tenant, item, context.CancellationToken));
        }

        return response;
    }

    public override async Task<ListAssetsResponse> ListAssets(ListAssetsRequest request, ServerCallContext context)
    {
        const string filter = "assets";
        var size = PageTokens.PageSize(request.PageSize);
        var tenant = Tenancy.Resolve(context);
        var (items, next) = await assets.ListAsync(tenant, size, pageTokens.Decode(request.PageToken, tenant, filter));
        return new ListAssetsResponse
        {
            Assets = { items.Select(View) },
            NextPageToken = next is null ? "" : pageTokens.Encode(next, tenant, filter),
        };
    }

    public override async Task<Asset> GetAsset(GetAssetRequest request, ServerCallContext context) =>
        View(await assets.GetAsync(Tenancy.Resolve(context), request.Id) ?? throw NotFound(request.Id));

    public override async Task<Empty> DeleteAsset(DeleteAssetRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        // An upload URL handed out before the delete still works until it expires: the sweep deletes
        // whatever such a late upload writes (DeletedAssetSweeper).
        var uploadsEnd = time.GetUtcNow() + options.Value.UploadUrlTtl;
        if (!await assets.DeleteAsync(tenant, request.Id, uploadsEnd))
        {
            throw NotFound(request.Id);
        }

        var removed = await objects.DeletePrefixAsync(AssetStore.ObjectPrefix(request.Id), context.CancellationToken);
        Deleted(logger, request.Id, tenant, removed);
        return new Empty();
    }

    private void Check(CreateAssetRequest request, string path, List<Problems.Violation> violations)
    {
        if (request.ContentType.Length == 0)
        {
            violations.Add(new($"{path}contentType", ErrorReasons.FieldRequired, "the media type of the file is required"));
        }
        else if (!AssetContentTypes.IsAccepted(request.ContentType))
        {
            violations.Add(new($"{path}contentType", ErrorReasons.UnsupportedAssetType, $"must be one of {string.Join(", ", AssetContentTypes.All)}"));
        }

        if (request.SizeBytes <= 0)
        {
            violations.Add(new($"{path}sizeBytes", ErrorReasons.OutOfRange, "must be the file's size in bytes, at least 1"));
        }
        else if (request.SizeBytes > MaxBytes)
        {
            violations.Add(new($"{path}sizeBytes", ErrorReasons.AssetTooLarge, $"assets may hold at most {MaxBytes} bytes"));
        }

        if (request.DisplayName.Length > 512)
        {
            violations.Add(new($"{path}displayName", ErrorReasons.OutOfRange, "must be at most 512 characters"));
        }
    }

    private async Task<Asset> CreateAsync(string tenant, CreateAssetRequest request, CancellationToken ct)
    {
        var asset = await assets.CreateAsync(tenant, request.ContentType, request.SizeBytes, request.DisplayName);
        var upload = await objects.PresignPutAsync(asset.ObjectKey, options.Value.UploadUrlTtl,
            new UploadRules(asset.ContentType, asset.SizeBytes), ct);
        Created(logger, asset.Id, tenant, asset.ContentType, asset.SizeBytes);
        var view = View(asset);
        view.UploadUrl = upload.Url.ToString();
        view.UploadUrlExpireTime = Timestamp.FromDateTimeOffset(upload.ExpiresAt);
        return view;
    }

    private Asset View(StoredAsset asset) => new()
    {
        Id = asset.Id,
        Name = $"assets/{asset.Id}",
        ContentType = asset.ContentType,
        SizeBytes = asset.SizeBytes,
        DisplayName = asset.DisplayName,
        MaxBytes = MaxBytes,
        CreateTime = Timestamp.FromDateTimeOffset(asset.CreateTime),
    };

    private static RpcException NotFound(string id) => Problems.NotFound(ErrorReasons.AssetNotFound, "assets", id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created asset {AssetId} for tenant {Tenant} ({ContentType}, {Size} bytes)")]
    private static partial void Created(ILogger logger, string assetId, string tenant, string contentType, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted asset {AssetId} of tenant {Tenant} ({Objects} stored objects)")]
    private static partial void Deleted(ILogger logger, string assetId, string tenant, int objects);
}
