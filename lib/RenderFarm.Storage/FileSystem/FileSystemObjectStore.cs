using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RenderFarm.Storage.FileSystem;

/// <summary>
/// Objects are files under <see cref="StorageOptions.Root"/>; presigned URLs are HMAC-signed and
/// served by the endpoints of <see cref="ObjectStoreEndpoints.MapObjectStore"/>.
/// </summary>
public sealed partial class FileSystemObjectStore : IObjectStore
{
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FileSystemObjectStore> _logger;
    private readonly string _root;
    private readonly string _baseUrl;

    /// <summary>Creates the store; the root directory is created when missing.</summary>
    public FileSystemObjectStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<FileSystemObjectStore> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_options.Root));
        _baseUrl = _options.PublicBaseUrl.TrimEnd('/');
        Signer = new UrlSigner(_options.SigningKey);
        Directory.CreateDirectory(_root);
    }

    internal UrlSigner Signer { get; }

    internal StorageOptions Options => _options;

    internal TimeProvider Time => _time;

    /// <inheritdoc />
    /// <remarks>A TTL of zero or less means <see cref="StorageOptions.DownloadUrlTtl"/>.</remarks>
    public Task<PresignedUrl> PresignGetAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Task.FromResult(Presign("GET", key, ttl > TimeSpan.Zero ? ttl : _options.DownloadUrlTtl));

    /// <inheritdoc />
    /// <remarks>A TTL of zero or less means <see cref="StorageOptions.UploadUrlTtl"/>.</remarks>
    public Task<PresignedUrl> PresignPutAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        PresignPutAsync(key, ttl, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A TTL of zero or less means <see cref="StorageOptions.UploadUrlTtl"/>. The PUT enforces the rules: 415 CONTENT_TYPE_MISMATCH, 413 ASSET_TOO_LARGE.</remarks>
    public Task<PresignedUrl> PresignPutAsync(string key, TimeSpan ttl, UploadRules? rules, CancellationToken cancellationToken = default) =>
        Task.FromResult(Presign("PUT", key, ttl > TimeSpan.Zero ? ttl : _options.UploadUrlTtl, rules));

    /// <inheritdoc />
    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? new ObjectInfo(key, file.Length, ContentTypes.For(key)) : null);
    }

    /// <inheritdoc />
    /// <remarks>The prefix must be a valid key or a key followed by '/'; an empty prefix is refused.</remarks>
    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        if (!ObjectKey.IsValid(prefix, allowTrailingSlash: true))
        {
            throw new ArgumentException($"Invalid object key prefix '{prefix}'.", nameof(prefix));
        }
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash]);
        if (!Directory.Exists(start))
        {
            return Task.FromResult(0);
        }
        var deleted = 0;
        foreach (var file in Directory.GetFiles(start, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !key.Contains(ObjectKey.TempMarker))
            {
                File.Delete(file);
                deleted++;
            }
        }
        RemoveEmptyDirectories(start);
        DeletedPrefix(_logger, prefix, deleted);
        return Task.FromResult(deleted);
    }

    /// <summary>The absolute file path of a valid key; throws <see cref="ArgumentException"/> otherwise.</summary>
    internal string PathOf(string key)
    {
        ObjectKey.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_root, key));
        // Defence in depth: validation already refuses every key that could escape the root.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Object key '{key}' escapes the store root.", nameof(key));
        }
        return path;
    }

    private PresignedUrl Presign(string method, string key, TimeSpan ttl, UploadRules? rules = null)
    {
        ObjectKey.Validate(key);
        var expires = (_time.GetUtcNow() + ttl).ToUnixTimeSeconds();
        var rulesQuery = "";
        if (rules is not null)
        {
            // The rules are signed with the key, so a caller can neither drop nor loosen them.
            rulesQuery = $"&ct={Uri.EscapeDataString(rules.ContentType)}&max={rules.MaxBytes}";
        }
        var sig = Signer.Sign(method, SignedKey(key, rules?.ContentType, rules?.MaxBytes), expires);
        return new PresignedUrl(
            new Uri($"{_baseUrl}/objects/{key}?expires={expires}{rulesQuery}&sig={sig}"),
            DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    /// <summary>What the signature covers besides method and expiry: the key, and the upload rules when there are any.</summary>
    internal static string SignedKey(string key, string? contentType, long? maxBytes) =>
        contentType is null ? key : $"{key}\n{contentType}\n{maxBytes}";

    private void RemoveEmptyDirectories(string directory)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            RemoveEmptyDirectories(child);
        }
        if (directory != _root && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            try
            {
                Directory.Delete(directory);
            }
            catch (IOException)
            {
                // A concurrent upload created a file in it: keep the directory.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} objects under prefix {Prefix}")]
    private static partial void DeletedPrefix(ILogger logger, string prefix, int count);
}
