using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Facade;

/// <summary>How the public API listens and what it promises callers.</summary>
public sealed class FacadeOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Facade";

    /// <summary>Address both listeners bind.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>REST (HTTP/1.1) port: transcoded API, SSE, OpenAPI, object URLs, health and metrics. 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int RestPort { get; set; } = 8080;

    /// <summary>gRPC (h2c) port. 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 8081;

    /// <summary>Attempts a production gets before it fails.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a request id maps to the production it created.</summary>
    public TimeSpan IdempotencyTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Interval of SSE keep-alive comments.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most progress events a watcher (SSE, watch stream) gets per production per second; 0 sends every one.</summary>
    [Range(0, 1000)]
    public double MaxProgressEventsPerSecond { get; set; } = 4;

    /// <summary>
    /// How long a facade keeps a finished production (SUCCEEDED, FAILED, CANCELLED) it has read, so
    /// that reading it again costs no Redis round trip (and over REST no JSON writing). A finished
    /// production changes only when deleted or when its output expires, and both drop it from every
    /// facade at once over Redis pub/sub; this bounds how long a change goes unseen if that message is
    /// lost. An entry also lives at most a tenth of what is left of its download URL's lifetime.
    /// Zero turns the cache off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FinishedCacheTtl { get; set; } = TimeSpan.FromSeconds(30);
}
