using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace RenderFarm.Testing;

/// <summary>A loopback HTTP server over a folder of media generated with ffmpeg at test time (no downloads).</summary>
public sealed class MediaServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MediaServer(WebApplication app, string root, string baseUrl)
    {
        _app = app;
        Root = root;
        BaseUrl = baseUrl;
    }

    public string Root { get; }

    public string BaseUrl { get; }

    public string Url(string name) => $"{BaseUrl}/{name}";

    public static async Task<MediaServer> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("rf-media-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            ServeUnknownFileTypes = true,
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MediaServer(app, root, address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>A test-pattern video with a tone, made by ffmpeg.</summary>
    public async Task<string> VideoAsync(string name, double seconds, int width = 320, int height = 240, bool audio = true)
    {
        var path = Path.Combine(Root, name);
        var s = seconds.ToString(CultureInfo.InvariantCulture);
        var args = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=30:duration={s}" };
        if (audio)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:duration={s}", "-c:a", "aac"]);
        }

        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-shortest", path]);
        await Tool.RunAsync("ffmpeg", args);
        return Url(name);
    }

    /// <summary>A solid-color PNG.</summary>
    public async Task<string> ImageAsync(string name, string hex, int width = 320, int height = 240)
    {
        await Tool.RunAsync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", $"color=c=0x{hex.TrimStart('#')}:s={width}x{height}", "-frames:v", "1", Path.Combine(Root, name)]);
        return Url(name);
    }

    /// <summary>A tone as MP3.</summary>
    public async Task<string> AudioAsync(string name, double seconds)
    {
        await Tool.RunAsync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", $"sine=frequency=660:duration={seconds.ToString(CultureInfo.InvariantCulture)}",
            "-c:a", "libmp3lame", Path.Combine(Root, name)]);
        return Url(name);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
