using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// Assets: files a tenant uploads once and canvases reference as <c>asset://{id}</c>. Each asset's
/// declared size counts against the tenant's stored bytes (key <c>{prefix}tenant:{tenant}:stored_bytes</c>).
/// </summary>
public sealed class AssetStore(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Records a new asset; its bytes arrive later through a presigned PUT to <see cref="StoredAsset.ObjectKey"/>.</summary>
    public async Task<StoredAsset> CreateAsync(string tenant, string contentType, long sizeBytes, string displayName = "")
    {
        // Ordered ids: a batch created in one millisecond lists newest first, like productions.
        var id = OrderedIds.Next();
        var key = ObjectKey(id, contentType);
        await Db.RunAsync("asset_create", _keys.Prefix, time, id, tenant, contentType, sizeBytes, key, displayName);
        return new StoredAsset(id, tenant, contentType, sizeBytes, key, time.GetUtcNow(), displayName);
    }

    /// <summary>The tenant's asset, or null when the tenant has none with that id (another tenant's is none).</summary>
    public async Task<StoredAsset?> GetAsync(string tenant, string id)
    {
        var asset = await GetAnyAsync(id);
        return asset is not null && asset.Tenant == tenant ? asset : null;
    }

    /// <summary>Reads an asset regardless of tenant (coordinator use).</summary>
    public async Task<StoredAsset?> GetAnyAsync(string id)
    {
        if (!ProductionStore.IsId(id))
        {
            return null;
        }
        var h = (await Db.HashGetAllAsync(_keys.Asset(id))).ToDictionary(e => (string)e.Name!, e => e.Value);
        return h.Count == 0
            ? null
            : new StoredAsset(id, (string)h["tenant"]!, (string)h["content_type"]!, (long)h["size"], (string)h["key"]!,
                DateTimeOffset.FromUnixTimeMilliseconds((long)h["created"]), (string?)h.GetValueOrDefault("display_name") ?? "");
    }

    /// <summary>A page of the tenant's assets, newest first, after <paramref name="after"/>.</summary>
    public Task<(IReadOnlyList<StoredAsset> Items, PageCursor? Next)> ListAsync(string tenant, int pageSize, PageCursor? after) =>
        IndexPages.ReadAsync(Db, _keys.TenantAssets(tenant), pageSize, after, id => GetAsync(tenant, id));

    /// <summary>
    /// Deletes the tenant's asset record and gives its declared size back; false when the tenant has
    /// none with that id. The caller then deletes its bytes (<see cref="ObjectPrefix"/>); the id stays
    /// in the deleted-assets index until <paramref name="uploadsEnd"/>, for <see cref="DeletedBeforeAsync"/>.
    /// </summary>
    public async Task<bool> DeleteAsync(string tenant, string id, DateTimeOffset uploadsEnd) =>
        ProductionStore.IsId(id)
        && (long)await Db.RunAsync("asset_delete", _keys.Prefix, time, id, tenant, uploadsEnd.ToUnixTimeMilliseconds()) == 1;

    /// <summary>Ids of up to <paramref name="max"/> deleted assets whose upload URLs expired before <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<string>> DeletedBeforeAsync(DateTimeOffset before, int max)
    {
        var ids = await Db.SortedSetRangeByScoreAsync(_keys.DeletedAssets, double.NegativeInfinity, before.ToUnixTimeMilliseconds(), take: max);
        return [.. ids.Select(v => (string)v!)];
    }

    /// <summary>Forgets a deleted asset once its bytes are gone for good.</summary>
    public Task ForgetDeletedAsync(string id) => Db.SortedSetRemoveAsync(_keys.DeletedAssets, id);

    /// <summary>Bytes the tenant's assets take (declared sizes), as the quota sees them.</summary>
    public async Task<long> StoredBytesAsync(string tenant) => (long?)await Db.StringGetAsync(_keys.TenantStoredBytes(tenant)) ?? 0;

    /// <summary>The id an <c>asset://{id}</c> URL names, or null when <paramref name="src"/> is no asset URL.</summary>
    public static string? IdOf(string src) =>
        src.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? src[Scheme.Length..].TrimEnd('/') : null;

    /// <summary>URL prefix of asset references in canvases.</summary>
    public const string Scheme = "asset://";

    /// <summary>Object-store prefix of an asset's bytes.</summary>
    public static string ObjectPrefix(string id) => $"assets/{id}/";

    private static string ObjectKey(string id, string contentType) =>
        $"{ObjectPrefix(id)}asset{AssetContentTypes.Extension(contentType)}";
}

/// <summary>An asset as recorded.</summary>
/// <param name="Id">Asset id.</param>
/// <param name="Tenant">Owner.</param>
/// <param name="ContentType">The media type the upload must carry.</param>
/// <param name="SizeBytes">Declared size: the most the upload may hold.</param>
/// <param name="ObjectKey">Where its bytes live in the object store.</param>
/// <param name="CreateTime">When it was created.</param>
/// <param name="DisplayName">Caller's label.</param>
public sealed record StoredAsset(string Id, string Tenant, string ContentType, long SizeBytes, string ObjectKey, DateTimeOffset CreateTime, string DisplayName);

/// <summary>The media types an asset may have (media, and fonts for canvas.fonts), and the file extension its object gets.</summary>
public static class AssetContentTypes
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.Ordinal)
    {
        ["image/png"] = ".png",
        ["image/jpeg"] = ".jpg",
        ["image/webp"] = ".webp",
        ["image/gif"] = ".gif",
        ["video/mp4"] = ".mp4",
        ["video/quicktime"] = ".mov",
        ["video/webm"] = ".webm",
        ["audio/mpeg"] = ".mp3",
        ["audio/wav"] = ".wav",
        ["audio/ogg"] = ".ogg",
        ["audio/mp4"] = ".m4a",
        ["font/ttf"] = ".ttf",
        ["font/otf"] = ".otf",
    };

    /// <summary>Every accepted media type.</summary>
    public static IEnumerable<string> All => Extensions.Keys;

    /// <summary>Whether assets may have <paramref name="contentType"/>.</summary>
    public static bool IsAccepted(string contentType) => Extensions.ContainsKey(contentType);

    /// <summary>The extension of an accepted media type.</summary>
    public static string Extension(string contentType) => Extensions[contentType];
}
