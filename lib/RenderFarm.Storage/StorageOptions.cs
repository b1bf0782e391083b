namespace RenderFarm.Storage;

/// <summary>Settings of the filesystem object store and of the URLs it signs.</summary>
public sealed class StorageOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string Section = "RenderFarm:Storage";

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
