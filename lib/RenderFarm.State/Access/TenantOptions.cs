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
        RenderSecondsPerMonth = 0,
        StoredBytes = 0,
    };

    /// <summary>Per-tenant overrides by tenant id.</summary>
    public Dictionary<string, TenantLimits> Overrides { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The effective limits of <paramref name="tenant"/>.</summary>
    public TenantLimits For(string tenant)
    {
        if (!Overrides.TryGetValue(tenant, out var o))
        {
            return Defaults;
        }
        return new TenantLimits
        {
            MaxRunning = o.MaxRunning ?? Defaults.MaxRunning,
            MaxQueued = o.MaxQueued ?? Defaults.MaxQueued,
            RequestsPerMinute = o.RequestsPerMinute ?? Defaults.RequestsPerMinute,
            Burst = o.Burst ?? Defaults.Burst,
            RenderSecondsPerMonth = o.RenderSecondsPerMonth ?? Defaults.RenderSecondsPerMonth,
            StoredBytes = o.StoredBytes ?? Defaults.StoredBytes,
            WebhookUrl = o.WebhookUrl ?? Defaults.WebhookUrl,
            WebhookSecret = o.WebhookSecret ?? Defaults.WebhookSecret,
        };
    }
}

/// <summary>Limits of one tenant; null means "use the default". Zero means unlimited where noted.</summary>
public sealed class TenantLimits
{
    /// <summary>Productions rendering at once (0 = unlimited). Extra work waits QUEUED.</summary>
    public int? MaxRunning { get; set; }

    /// <summary>Productions waiting at once; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int? MaxQueued { get; set; }

    /// <summary>Sustained API requests per minute per key.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Requests a key may make at once above the sustained rate.</summary>
    public int? Burst { get; set; }

    /// <summary>Seconds of output a tenant may render per calendar month (0 = unlimited).</summary>
    public double? RenderSecondsPerMonth { get; set; }

    /// <summary>Bytes of outputs and assets a tenant may keep stored (0 = unlimited).</summary>
    public long? StoredBytes { get; set; }

    /// <summary>Webhook URL used when a production names none.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Secret that signs this tenant's webhooks; unset means the farm's <c>RenderFarm:Webhooks:SigningSecret</c>.</summary>
    public string? WebhookSecret { get; set; }
}
