using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using RenderFarm.Facade.Auth;

namespace RenderFarm.Facade.Ui;

/// <summary>
/// The dashboard at <c>/ui</c>: static HTML, CSS and JavaScript modules embedded in this assembly
/// (no build step, no CDN), served with their content types, an ETag and revalidation, and a
/// Content-Security-Policy that allows no inline script. The page signs in with an API key held in
/// sessionStorage and calls the REST API like any client; SSE goes through watch tokens.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>The dashboard's route on the REST port.</summary>
    public const string Route = "/ui";

    private const string Prefix = "ui/";

    // Media and stills may come from an S3 store's presigned URLs on another origin; nothing else does.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob: http: https:; "
        + "media-src 'self' blob: http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, Asset>> Assets = new(Load);

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        foreach (var pattern in new[] { Route, $"{Route}/{{**path}}" })
        {
            endpoints.MapMethods(pattern, ["GET", "HEAD"], Serve).WithMetadata(Access.Public).ExcludeFromDescription();
        }

        return endpoints;
    }

    private static IResult Serve(string? path, HttpContext http)
    {
        // Relative URLs in the page resolve against /ui/, so /ui itself sends the browser there.
        if (string.IsNullOrEmpty(path) && !http.Request.Path.Value!.EndsWith('/'))
        {
            return Results.Redirect($"{Route}/", permanent: false);
        }

        // Every page of the single-page app is index.html; the hash names the tab.
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!Assets.Value.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        // Names carry no content hash, so a browser revalidates each time and gets 304 while unchanged.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(resource), "application/octet-stream");
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"";
            assets[resource[Prefix.Length..].Replace('\\', '/')] = new Asset(bytes, type, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
