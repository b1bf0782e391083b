using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Assets;

/// <summary>AssetService: records an asset of the caller's tenant and hands out the presigned URL its bytes go to.</summary>
internal sealed partial class AssetApi(
    AssetStore assets,
    IObjectStore objects,
    IOptions<AssetOptions> options,
    IOptions<StorageOptions> storage,
    ILogger<AssetApi> logger) : AssetService.AssetServiceBase
{
    /// <summary>The most bytes one asset may declare.</summary>
    private long MaxBytes => storage.Value.Kind == StorageKind.FileSystem
        ? Math.Min(options.Value.MaxBytes, storage.Value.MaxUploadBytes)
        : options.Value.MaxBytes;

    public override async Task<Asset> CreateAsset(CreateAssetRequest request, ServerCallContext context)
    {
        var violations = new List<Problems.Violation>();
        if (request.ContentType.Length == 0)
        {
            violations.Add(new("contentType", ErrorReasons.FieldRequired, "the media type of the file is required"));
        }
        else if (!AssetContentTypes.IsAccepted(request.ContentType))
        {
            violations.Add(new("contentType", ErrorReasons.UnsupportedAssetType, $"must be one of {string.Join(", ", AssetContentTypes.All)}"));
        }

        if (request.SizeBytes <= 0)
        {
            violations.Add(new("sizeBytes", ErrorReasons.OutOfRange, "must be the file's size in bytes, at least 1"));
        }
        else if (request.SizeBytes > MaxBytes)
        {
            violations.Add(new("sizeBytes", ErrorReasons.AssetTooLarge, $"assets may hold at most {MaxBytes} bytes"));
        }

        if (request.DisplayName.Length > 512)
        {
            violations.Add(new("displayName", ErrorReasons.OutOfRange, "must be at most 512 characters"));
        }

        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        var tenant = Tenancy.Resolve(context);
        var asset = await assets.CreateAsync(tenant, request.ContentType, request.SizeBytes, request.DisplayName);
        var upload = await objects.PresignPutAsync(asset.ObjectKey, options.Value.UploadUrlTtl,
            new UploadRules(asset.ContentType, asset.SizeBytes), context.CancellationToken);
        Created(logger, asset.Id, tenant, asset.ContentType, asset.SizeBytes);
        return new Asset
        {
            Id = asset.Id,
            Name = $"assets/{asset.Id}",
            ContentType = asset.ContentType,
            SizeBytes = asset.SizeBytes,
            DisplayName = asset.DisplayName,
            UploadUrl = upload.Url.ToString(),
            UploadUrlExpireTime = Timestamp.FromDateTimeOffset(upload.ExpiresAt),
            MaxBytes = MaxBytes,
            CreateTime = Timestamp.FromDateTimeOffset(asset.CreateTime),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created asset {AssetId} for tenant {Tenant} ({ContentType}, {Size} bytes)")]
    private static partial void Created(ILogger logger, string assetId, string tenant, string contentType, long size);
}
