namespace RenderFarm.State;

/// <summary>
/// Webhooks: where a production's final state is POSTed (the production's <c>webhookUrl</c>, else
/// its tenant's <see cref="TenantLimits.WebhookUrl"/>), how deliveries are signed and retried.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Webhooks";

    /// <summary>HMAC-SHA256 key of the <c>RenderFarm-Signature</c> header, unless the tenant has its own; at least 32 characters.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>Hosts, IPs or CIDRs (optionally with :port) webhooks may reach although the SSRF guard refuses them (loopback in tests).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Attempts per delivery before it is given up (the first one included).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Wait before the second attempt; each later wait is three times the previous (jittered ±20%).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Timeout of one POST.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed delivery stays hidden from other senders; past it, it is due again.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the outbox is polled for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries one sender works on at once.</summary>
    public int BatchSize { get; set; } = 16;
}
