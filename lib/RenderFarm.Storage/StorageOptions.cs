namespace RenderFarm.Storage;

/// <summary>Which object store holds outputs and assets, its settings and the URLs it signs.</summary>
public sealed class StorageOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string Section = "RenderFarm:Storage";

    /// <summary>Which store: <see cref="StorageKind.FileSystem"/> (default) or <see cref="StorageKind.S3"/>.</summary>
    public StorageKind Kind { get; set; } = StorageKind.FileSystem;

    /// <summary>The S3 / MinIO store, when <see cref="Kind"/> is S3.</summary>
    public S3StorageOptions S3 { get; set; } = new();

    /// <summary>How long outputs are kept after their production succeeded; zero keeps them until deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.Zero;

    /// <summary>How often the retention sweep looks for outputs past <see cref="Retention"/>.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Directory that holds the objects (created when missing). Required.</summary>
    public string Root { get; set; } = "";

    /// <summary>Base URL clients and nodes use to reach the HTTP server that serves the store, e.g. http://127.0.0.1:8080. Required.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Secret that signs presigned URLs; at least 32 characters. Required.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>Lifetime of a download URL when the caller passes no positive TTL.</summary>
    public TimeSpan DownloadUrlTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of an upload URL when the caller passes no positive TTL.</summary>
    public TimeSpan UploadUrlTtl { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Largest body a PUT may carry; larger uploads get 413 and leave nothing behind.</summary>
    public long MaxUploadBytes { get; set; } = 4L * 1024 * 1024 * 1024;
}

/// <summary>Object store implementations.</summary>
public enum StorageKind
{
    /// <summary>Files under <see cref="StorageOptions.Root"/>, served by the facade with HMAC-signed URLs.</summary>
    FileSystem,

    /// <summary>An S3-compatible bucket (AWS S3, MinIO) with S3 presigned URLs.</summary>
    S3,
}

/// <summary>Settings of the S3 / MinIO store.</summary>
public sealed class S3StorageOptions
{
    /// <summary>Endpoint the farm reaches the service at, e.g. http://minio:9000 or https://s3.eu-west-1.amazonaws.com (the scheme picks TLS).</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Endpoint in presigned URLs (as clients and nodes reach the service); empty means <see cref="Endpoint"/>.</summary>
    public string PublicEndpoint { get; set; } = "";

    /// <summary>Bucket of outputs and assets; created when missing.</summary>
    public string Bucket { get; set; } = "renderfarm";

    /// <summary>Access key id.</summary>
    public string AccessKey { get; set; } = "";

    /// <summary>Secret access key.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>Region that signatures name.</summary>
    public string Region { get; set; } = "us-east-1";
}
