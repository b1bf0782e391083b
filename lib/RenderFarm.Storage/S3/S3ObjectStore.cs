using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace RenderFarm.Storage.S3;

/// <summary>
/// Objects in an S3-compatible bucket (AWS S3, MinIO) through the Minio SDK. URLs are S3 presigned
/// URLs, signed for <see cref="S3StorageOptions.PublicEndpoint"/>, so ranged GETs and PUTs go to
/// the service directly, never through the farm.
/// </summary>
public sealed partial class S3ObjectStore : IObjectStore, IDisposable
{
    private static readonly TimeSpan MaxPresignTtl = TimeSpan.FromDays(7);
    private readonly StorageOptions _options;
    private readonly S3StorageOptions _s3;
    private readonly TimeProvider _time;
    private readonly ILogger<S3ObjectStore> _logger;
    private readonly IMinioClient _client;
    private readonly IMinioClient _presigner;
    private readonly Lazy<Task> _bucket;

    /// <summary>Creates the store; the bucket is created on first use when missing.</summary>
    public S3ObjectStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<S3ObjectStore> logger)
    {
        _options = options.Value;
        _s3 = _options.S3;
        _time = time;
        _logger = logger;
        _client = Build(_s3.Endpoint);
        // Signatures cover the host: URLs for clients and nodes are signed for the address they use.
        _presigner = _s3.PublicEndpoint.Length > 0 ? Build(_s3.PublicEndpoint) : _client;
        _bucket = new Lazy<Task>(EnsureBucketAsync);
    }

    /// <inheritdoc />
    public async Task<PresignedUrl> PresignGetAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        await _bucket.Value;
        var seconds = Seconds(ttl > TimeSpan.Zero ? ttl : _options.DownloadUrlTtl);
        var url = await _presigner.PresignedGetObjectAsync(new PresignedGetObjectArgs()
            .WithBucket(_s3.Bucket).WithObject(Validated(key)).WithExpiry(seconds));
        return new PresignedUrl(new Uri(url), _time.GetUtcNow().AddSeconds(seconds));
    }

    /// <inheritdoc />
    public Task<PresignedUrl> PresignPutAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        PresignPutAsync(key, ttl, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>S3 presigned PUTs cannot bound the size; callers check the stored object with <see cref="StatAsync"/>.</remarks>
    public async Task<PresignedUrl> PresignPutAsync(string key, TimeSpan ttl, UploadRules? rules, CancellationToken cancellationToken = default)
    {
        await _bucket.Value;
        var seconds = Seconds(ttl > TimeSpan.Zero ? ttl : _options.UploadUrlTtl);
        var url = await _presigner.PresignedPutObjectAsync(new PresignedPutObjectArgs()
            .WithBucket(_s3.Bucket).WithObject(Validated(key)).WithExpiry(seconds));
        return new PresignedUrl(new Uri(url), _time.GetUtcNow().AddSeconds(seconds));
    }

    /// <inheritdoc />
    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        await _bucket.Value;
        try
        {
            var stat = await _client.StatObjectAsync(new StatObjectArgs().WithBucket(_s3.Bucket).WithObject(Validated(key)), cancellationToken);
            return new ObjectInfo(key, stat.Size, stat.ContentType);
        }
        catch (Exception ex) when (ex is ObjectNotFoundException or BucketNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        if (!FileSystem.ObjectKey.IsValid(prefix, allowTrailingSlash: true))
        {
            throw new ArgumentException($"Invalid object key prefix '{prefix}'.", nameof(prefix));
        }
        await _bucket.Value;
        var keys = new List<string>();
        await foreach (var item in _client.ListObjectsEnumAsync(
            new ListObjectsArgs().WithBucket(_s3.Bucket).WithPrefix(prefix).WithRecursive(true), cancellationToken))
        {
            if (!item.IsDir)
            {
                keys.Add(item.Key);
            }
        }
        // One DELETE per object: multi-object delete is missing from some S3-compatible servers.
        foreach (var key in keys)
        {
            await _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(_s3.Bucket).WithObject(key), cancellationToken);
        }
        DeletedPrefix(_logger, prefix, keys.Count);
        return keys.Count;
    }

    /// <summary>Keys under <paramref name="prefix"/> (tests, diagnostics).</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await _bucket.Value;
        var keys = new List<string>();
        await foreach (var item in _client.ListObjectsEnumAsync(
            new ListObjectsArgs().WithBucket(_s3.Bucket).WithPrefix(prefix).WithRecursive(true), cancellationToken))
        {
            keys.Add(item.Key);
        }
        return keys;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        if (!ReferenceEquals(_presigner, _client))
        {
            _presigner.Dispose();
        }
    }

    private async Task EnsureBucketAsync()
    {
        if (!await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_s3.Bucket)))
        {
            await _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(_s3.Bucket).WithLocation(_s3.Region));
            BucketCreated(_logger, _s3.Bucket);
        }
    }

    private IMinioClient Build(string endpoint)
    {
        var uri = new Uri(endpoint);
        return new MinioClient()
            .WithEndpoint(uri.Host, uri.Port)
            .WithSSL(uri.Scheme == Uri.UriSchemeHttps)
            .WithCredentials(_s3.AccessKey, _s3.SecretKey)
            // A fixed region keeps presigning offline (no bucket-location lookup).
            .WithRegion(_s3.Region)
            .Build();
    }

    private static string Validated(string key)
    {
        FileSystem.ObjectKey.Validate(key);
        return key;
    }

    private static int Seconds(TimeSpan ttl) => (int)Math.Clamp(ttl.TotalSeconds, 1, MaxPresignTtl.TotalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} objects under prefix {Prefix}")]
    private static partial void DeletedPrefix(ILogger logger, string prefix, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created bucket {Bucket}")]
    private static partial void BucketCreated(ILogger logger, string bucket);
}
