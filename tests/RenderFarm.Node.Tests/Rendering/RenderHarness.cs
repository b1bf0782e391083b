using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Builds the renderer through AddRendering and reads back what a viewer would see.</summary>
internal sealed class RenderHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public RenderHarness(TestMedia media, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        _services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(Logs))
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IMediaSource>(Source = new ProbingMediaSource(media))
            .AddRendering()
            .BuildServiceProvider();
        WorkDirectory = Path.Combine(Path.GetTempPath(), "rf-render-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkDirectory);
    }

    public string WorkDirectory { get; }

    public ProbingMediaSource Source { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public List<RenderStatus> Statuses { get; } = [];

    public Task<RenderedFiles> RenderAsync(string canvasJson, string outputJson = "{}", CancellationToken cancellationToken = default, Action<RenderStatus>? onProgress = null)
    {
        var renderer = _services.GetRequiredService<IRenderer>();
        var progress = new SyncProgress(s =>
        {
            lock (Statuses)
            {
                Statuses.Add(s);
            }
            onProgress?.Invoke(s);
        });
        return renderer.RenderAsync(Request(canvasJson, outputJson, WorkDirectory), progress, cancellationToken);
    }

    /// <summary>Renders with renditions, given as the JSON array of a create request's <c>renditions</c>.</summary>
    public Task<RenderedFiles> RenderAsync(string canvasJson, string outputJson, string renditionsJson)
    {
        return _services.GetRequiredService<IRenderer>().RenderAsync(
            Request(canvasJson, outputJson, WorkDirectory) with { Renditions = Renditions(renditionsJson) }, new SyncProgress(_ => { }), CancellationToken.None);
    }

    /// <summary>Renders frames [<paramref name="startFrame"/>, <paramref name="endFrame"/>) alone, as a chunk job does, into its own work directory.</summary>
    public Task<RenderedFiles> RenderChunkAsync(string canvasJson, string outputJson, long startFrame, long endFrame)
    {
        var work = Path.Combine(WorkDirectory, $"chunk-{startFrame}");
        Directory.CreateDirectory(work);
        return _services.GetRequiredService<IRenderer>().RenderAsync(
            Request(canvasJson, outputJson, work) with { Chunk = new ChunkFrames { StartFrame = startFrame, EndFrame = endFrame } }, new SyncProgress(_ => { }), CancellationToken.None);
    }

    /// <summary>The FFmpeg command line the render would run, its graph and side files written under <paramref name="workDirectory"/>.</summary>
    public Task<string> CommandLineAsync(string canvasJson, string outputJson, string workDirectory, string renditionsJson = "[]",
        IReadOnlyCollection<string>? gpuDecoders = null, ChunkFrames? chunk = null) =>
        ((FfmpegRenderer)_services.GetRequiredService<IRenderer>()).CommandLineAsync(
            Request(canvasJson, outputJson, workDirectory) with { Renditions = Renditions(renditionsJson), GpuDecoders = gpuDecoders ?? [], Chunk = chunk }, CancellationToken.None);

    private static Google.Protobuf.Collections.RepeatedField<Rendition> Renditions(string json) =>
        JsonParser.Default.Parse<CreateProductionRequest>($"{{\"renditions\": {json.Replace('\'', '"')}}}").Renditions;

    private static RenderRequest Request(string canvasJson, string outputJson, string workDirectory) => new(
        "job-1",
        JsonParser.Default.Parse<Contracts.V1.Canvas>(canvasJson.Replace('\'', '"')),
        JsonParser.Default.Parse<OutputSpec>(outputJson.Replace('\'', '"')),
        workDirectory,
        ["libx264"]);

    /// <summary>The RGB of pixel (x, y) of the frame shown at <paramref name="seconds"/>.</summary>
    public static (int R, int G, int B) Pixel(string video, double seconds, int x, int y)
    {
        var (frame, width) = Frame(video, seconds);
        var i = (y * width + x) * 3;
        return (frame[i], frame[i + 1], frame[i + 2]);
    }

    /// <summary>The decoded rgb24 frame at <paramref name="seconds"/>, and its width.</summary>
    public static (byte[] Rgb, int Width) Frame(string video, double seconds)
    {
        var facts = FFMpegCore.FFProbe.Analyse(video);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-v", "error", "-i", video, "-ss", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        var width = facts.PrimaryVideoStream!.Width ?? 0;
        Assert.Equal(width * (facts.PrimaryVideoStream.Height ?? 0) * 3, (int)ms.Length);
        return (ms.ToArray(), width);
    }

    public static void AssertColor((int R, int G, int B) expected, (int R, int G, int B) actual, int tolerance = 24) =>
        Assert.True(Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance && Math.Abs(expected.B - actual.B) <= tolerance,
            $"expected ~{expected}, got {actual}");

    public void Dispose()
    {
        _services.Dispose();
        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    private sealed class SyncProgress(Action<RenderStatus> report) : IProgress<RenderStatus>
    {
        public void Report(RenderStatus value) => report(value);
    }
}
