using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering;
using RenderFarm.Node.Rendering.Text;

namespace RenderFarm.Fuzz.Tests;

/// <summary>The node's renderer, built through AddRendering over the fuzz media, rendering fast and one thread a job.</summary>
internal sealed class FuzzNode : IDisposable
{
    private readonly ServiceProvider _services;

    public FuzzNode(FuzzMedia media)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RenderFarm:Render:Preset"] = "ultrafast",
            ["RenderFarm:Render:Threads"] = "1",
        }).Build();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IMediaSource>(media)
            .AddRendering()
            .BuildServiceProvider();
        Compilation = new CanvasCompilation(media, _services.GetRequiredService<FontResolver>());
        Root = Path.Combine(Path.GetTempPath(), "rf-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public CanvasCompilation Compilation { get; }

    /// <summary>Scratch folders of this run live under it.</summary>
    public string Root { get; }

    public string NewFolder()
    {
        var path = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Frames the video of <paramref name="canvas"/> must have, from the media as the node gathers it (real speech and narrations included).</summary>
    public async Task<long> ExpectedFramesAsync(Contracts.V1.Canvas canvas, string scratch)
    {
        var gatherer = _services.GetRequiredService<MediaGatherer>();
        var local = await gatherer.GatherAsync(canvas, scratch, [], CancellationToken.None);
        var narrations = await gatherer.NarrateAsync(canvas, scratch, CancellationToken.None);
        var timeline = FfmpegRenderer.Resolve(canvas, local, narrations);
        var fps = CanvasFrame.Of(canvas).Fps;
        return Math.Max(1, (long)Math.Ceiling(timeline.Duration * fps - 1e-6));
    }

    public Task<RenderedFiles> RenderAsync(Contracts.V1.Canvas canvas, OutputSpec output, string workDirectory) =>
        _services.GetRequiredService<IRenderer>().RenderAsync(
            new RenderRequest("fuzz", canvas, output, workDirectory, ["libx264", "libx265", "libvpx-vp9"]), new Progress<RenderStatus>(), CancellationToken.None);

    /// <summary>ffprobe's decoded frame count of the video stream and the container's duration.</summary>
    public static (long Frames, double Duration) Probe(string path)
    {
        var lines = FfprobeLines(path, "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames:format=duration");
        return (long.Parse(lines.Single(kv => kv.Key == "nb_read_frames").Value, CultureInfo.InvariantCulture),
            double.Parse(lines.Single(kv => kv.Key == "duration").Value, CultureInfo.InvariantCulture));
    }

    /// <summary>ffprobe's duration of the only (audio) stream of an audio-only output; fails if it has a picture.</summary>
    public static double ProbeAudio(string path)
    {
        var lines = FfprobeLines(path, "-show_entries", "stream=codec_type:format=duration");
        Assert.Equal(["audio"], lines.Where(kv => kv.Key == "codec_type").Select(kv => kv.Value));
        return double.Parse(lines.Single(kv => kv.Key == "duration").Value, CultureInfo.InvariantCulture);
    }

    // ffprobe's key=value lines for path, failing the test when ffprobe fails.
    private static List<KeyValuePair<string, string>> FfprobeLines(string path, params string[] query)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-v", "error", .. query, "-of", "default=nw=1", path])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var text = p.StandardOutput.ReadToEnd();
        var errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ffprobe {path}: {errors}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).Select(kv => KeyValuePair.Create(kv[0], kv[1]))];
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
