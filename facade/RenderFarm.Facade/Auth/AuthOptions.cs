namespace RenderFarm.Facade.Auth;

/// <summary>API-key authentication.</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Auth";

    /// <summary>
    /// A raw key (<c>rf_…</c>, at least 32 characters) accepted as an ADMIN key of <see cref="BootstrapTenant"/>
    /// without being stored: how a new deployment creates its first keys. Empty: none.
    /// The embedded default sets it to the admin key it generates in its data directory.
    /// </summary>
    public string BootstrapAdminKey { get; set; } = "";

    /// <summary>Tenant of the bootstrap admin key.</summary>
    public string BootstrapTenant { get; set; } = "default";

    /// <summary>
    /// HMAC key of list page tokens and SSE watch tokens (every facade replica needs the same one).
    /// Empty: derived from RenderFarm:Storage:SigningKey.
    /// </summary>
    public string PageTokenKey { get; set; } = "";

    /// <summary>
    /// How long a facade trusts an API key it looked up without asking Redis again. A revoked or
    /// updated key is dropped from every facade's cache at once (Redis pub/sub); this bounds how
    /// long a change can go unseen if that notification is lost. Zero: look every request's key up.
    /// </summary>
    public TimeSpan KeyCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a watch token (POST /v1/watchTokens) opens the SSE route; between 1 second and 1 hour.</summary>
    public TimeSpan WatchTokenTtl { get; set; } = TimeSpan.FromMinutes(5);
}
