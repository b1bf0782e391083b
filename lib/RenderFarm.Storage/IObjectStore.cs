namespace RenderFarm.Storage;

/// <summary>
/// Where outputs live. Callers never move bytes through the store object itself: nodes PUT to a
/// presigned URL and clients GET from one, so the filesystem and S3 stores behave alike.
/// </summary>
public interface IObjectStore
{
    /// <summary>A URL that GETs the object (ranged requests allowed) until it expires.</summary>
    Task<PresignedUrl> PresignGetAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>A URL that PUTs the object until it expires.</summary>
    Task<PresignedUrl> PresignPutAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// A URL that PUTs the object until it expires, under <paramref name="rules"/> (content type,
    /// most bytes). The filesystem store enforces them on the PUT; S3 presigned PUTs cannot, so
    /// callers also check the stored object with <see cref="StatAsync"/> before using it.
    /// </summary>
    Task<PresignedUrl> PresignPutAsync(string key, TimeSpan ttl, UploadRules? rules, CancellationToken cancellationToken = default);

    /// <summary>Size (and content type, where the store knows it) of a stored object, or null when there is none.</summary>
    Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes every object whose key starts with <paramref name="prefix"/>; returns how many.</summary>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default);
}

/// <summary>A URL that works until <see cref="ExpiresAt"/>.</summary>
public sealed record PresignedUrl(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>Facts of a stored object.</summary>
public sealed record ObjectInfo(string Key, long SizeBytes, string? ContentType = null);

/// <summary>What an upload must be: its Content-Type and its most bytes.</summary>
public sealed record UploadRules(string ContentType, long MaxBytes);
