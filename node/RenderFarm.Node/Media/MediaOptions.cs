namespace RenderFarm.Node.Media;

/// <summary>How a node fetches, caches and vets media.</summary>
public sealed class MediaOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string Section = "RenderFarm:Media";

    /// <summary>
    /// Destinations that bypass the SSRF guard: host names (<c>media.internal</c>), IP addresses
    /// (<c>10.0.0.5</c>, <c>::1</c>), CIDR ranges (<c>10.0.0.0/8</c>), each optionally with a port
    /// (<c>minio:9000</c>, <c>10.0.0.0/8:9000</c>, <c>[::1]:8080</c>). Empty by default.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Largest media file a node fetches.</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Limit on one whole fetch (connect, headers and body).</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Limit on one ffprobe run; the process is killed past it.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Directory of the content-addressed media cache.</summary>
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "renderfarm-media-cache");

    /// <summary>Cache size above which least recently used files are evicted.</summary>
    public long CacheMaxBytes { get; set; } = 10L << 30;

    /// <summary>Redirects followed per fetch.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>The ffprobe executable (a name on PATH or an absolute path).</summary>
    public string FfprobePath { get; set; } = "ffprobe";
}
