namespace RenderFarm.State;

/// <summary>
/// Per-tenant limits: one set of defaults and optional per-tenant overrides, bound from
/// <c>RenderFarm:Tenants</c> (e.g. <c>RenderFarm__Tenants__Overrides__acme__MaxRunning=4</c>).
/// A field an override leaves unset falls back to the default.
/// </summary>
public sealed class TenantOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Tenants";

    /// <summary>Limits of every tenant without an override.</summary>
    public TenantLimits Defaults { get; set; } = new()
    {
        MaxRunning = 0,
        MaxQueued = 100_000,
        RequestsPerMinute = 600,
        Burst = 100,
        ReadsPerMinute = 6_000,
        ReadBurst = 300,
        MaxStreams = 1_000,
        RenderSecondsPerMonth = 0,
        StoredBytes = 0,
    };

    /// <summary>Per-tenant overrides by tenant id.</summary>
    public Dictionary<string, TenantLimits> Overrides { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The effective limits of <paramref name="tenant"/>.</summary>
    public TenantLimits For(string tenant) => Overrides.TryGetValue(tenant, out var o) ? o.Over(Defaults) : Defaults;
}

/// <summary>Limits of one tenant; null means "use the default". Zero means unlimited where noted.</summary>
public sealed class TenantLimits
{
    /// <summary>Productions rendering at once (0 = unlimited). Extra work waits QUEUED.</summary>
    public int? MaxRunning { get; set; }

    /// <summary>Productions waiting at once; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int? MaxQueued { get; set; }

    /// <summary>Sustained writes (create, cancel, delete, update, …: every call that is not a read or a stream) per minute per key (0 = unlimited).</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Writes a key may make at once above the sustained rate.</summary>
    public int? Burst { get; set; }

    /// <summary>Sustained reads (Get…, List… calls; GET routes) per minute per key (0 = unlimited).</summary>
    public int? ReadsPerMinute { get; set; }

    /// <summary>Reads a key may make at once above the sustained rate.</summary>
    public int? ReadBurst { get; set; }

    /// <summary>Long-lived streams (SSE events, WatchProduction) a key may hold open at once (0 = unlimited); opening one takes no request.</summary>
    public int? MaxStreams { get; set; }

    /// <summary>Seconds of output a tenant may render per calendar month (0 = unlimited).</summary>
    public double? RenderSecondsPerMonth { get; set; }

    /// <summary>Bytes of outputs and assets a tenant may keep stored (0 = unlimited).</summary>
    public long? StoredBytes { get; set; }

    /// <summary>Webhook URL used when a production names none.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Secret that signs this tenant's webhooks; unset means the farm's <c>RenderFarm:Webhooks:SigningSecret</c>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// These limits where set, <paramref name="fallback"/>'s elsewhere: a tenant's override over the
    /// defaults, and (the same way) a key's own limits over its tenant's.
    /// </summary>
    public TenantLimits Over(TenantLimits fallback) => new()
    {
        MaxRunning = MaxRunning ?? fallback.MaxRunning,
        MaxQueued = MaxQueued ?? fallback.MaxQueued,
        RequestsPerMinute = RequestsPerMinute ?? fallback.RequestsPerMinute,
        Burst = Burst ?? fallback.Burst,
        ReadsPerMinute = ReadsPerMinute ?? fallback.ReadsPerMinute,
        ReadBurst = ReadBurst ?? fallback.ReadBurst,
        MaxStreams = MaxStreams ?? fallback.MaxStreams,
        RenderSecondsPerMonth = RenderSecondsPerMonth ?? fallback.RenderSecondsPerMonth,
        StoredBytes = StoredBytes ?? fallback.StoredBytes,
        WebhookUrl = WebhookUrl ?? fallback.WebhookUrl,
        WebhookSecret = WebhookSecret ?? fallback.WebhookSecret,
    };
}
