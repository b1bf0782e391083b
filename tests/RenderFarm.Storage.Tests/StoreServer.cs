using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderFarm.Storage.FileSystem;

namespace RenderFarm.Storage.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 serving a filesystem store rooted in a temp directory.</summary>
internal sealed class StoreServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StoreServer(WebApplication app, string root, HttpClient http)
    {
        _app = app;
        Root = root;
        Http = http;
    }

    public const string PublicBaseUrl = "http://store.example";

    public string Root { get; }

    public HttpClient Http { get; }

    public IObjectStore Store => _app.Services.GetRequiredService<IObjectStore>();

    public static async Task<StoreServer> StartAsync(TimeProvider? time = null, long maxUploadBytes = 0)
    {
        var root = Path.Combine(Path.GetTempPath(), "rf-store-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel();
        builder.Logging.ClearProviders();
        builder.Configuration[$"{StorageOptions.Section}:Root"] = root;
        // Kestrel binds port 0, so the public base URL is a stand-in; Local() maps presigned URLs to the real port.
        builder.Configuration[$"{StorageOptions.Section}:PublicBaseUrl"] = PublicBaseUrl;
        builder.Configuration[$"{StorageOptions.Section}:SigningKey"] = "test-signing-key-0123456789abcdef0123";
        if (maxUploadBytes > 0)
        {
            builder.Configuration[$"{StorageOptions.Section}:MaxUploadBytes"] = maxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        builder.Services.AddFileSystemObjectStore();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapObjectStore();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new StoreServer(app, root, new HttpClient { BaseAddress = new Uri(address) });
    }

    /// <summary>The presigned URL's path and query, against the real server.</summary>
    public Uri Local(PresignedUrl url) => new(Http.BaseAddress!, url.Url.PathAndQuery);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
