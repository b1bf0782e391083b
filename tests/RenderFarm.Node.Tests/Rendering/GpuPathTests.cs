using Google.Protobuf;
using RenderFarm.CanvasModel;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering;
using RenderFarm.Node.Rendering.Compilation;
using RenderFarm.Node.Rendering.Text;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>
/// The GPU path as the compiler places it (no GPU here: what runs on one is measured by scripts/bench gpu):
/// without it the graph is the CPU graph of before, byte for byte; with it, only videos whose every
/// chain scales them first are decoded and scaled on the GPU.
/// </summary>
public sealed class GpuPathTests
{
    // Base clips in each fit (one retimed), a transition, a still, a video layer, a cropped video
    // layer, text. Inputs in this order: cover, contain, fill, blur, still, layer, cropped.
    private const string CanvasJson = """
        {"width": 1280, "height": 720, "fps": 30, "segments": [
          {"video": {"src": "https://m.test/cover.mp4", "fit": "COVER", "speed": 1.5}, "duration": 2},
          {"video": {"src": "https://m.test/contain.mp4", "fit": "CONTAIN"}, "duration": 2, "transition": {"kind": "FADE", "duration": 0.5}},
          {"video": {"src": "https://m.test/fill.mp4", "fit": "FILL", "trimStart": 1}, "duration": 2},
          {"video": {"src": "https://m.test/blur.mp4", "fit": "CONTAIN_BLUR"}, "duration": 2},
          {"image": {"src": "https://m.test/still.png", "fit": "COVER"}, "duration": 2},
          {"video": {"src": "https://m.test/layer.mp4", "muted": true}, "start": 1, "duration": 3,
           "layer": {"x": 0.6, "y": 0.6, "width": 0.3, "height": 0.3}},
          {"video": {"src": "https://m.test/cropped.mp4", "muted": true}, "start": 4, "duration": 3,
           "layer": {"x": 0.1, "y": 0.1, "width": 0.3, "height": 0.3, "crop": {"x": 0.1, "y": 0.1, "width": 0.5, "height": 0.5}}},
          {"text": {"text": "Hello", "fontSize": 40}, "start": 0.5, "duration": 2}
        ]}
        """;

    private static readonly string[] Clips = ["cover", "contain", "fill", "blur", "still", "layer", "cropped"];

    private static string Golden => Path.Combine(AppContext.BaseDirectory, "Rendering", "Golden", "cpu-graph.txt");

    [Fact]
    public void WithoutTheGpuPath_TheGraphIsTheCpuGraphOfBefore_ByteForByte()
    {
        var (compiled, command) = Compile(null);

        Assert.Equal(File.ReadAllText(Golden), compiled.FilterScript);
        Assert.DoesNotContain("cuda", compiled.FilterScript, StringComparison.Ordinal);
        Assert.DoesNotContain("hwaccel", command, StringComparison.Ordinal);
        Assert.DoesNotContain("hwdownload", compiled.FilterScript, StringComparison.Ordinal);
    }

    [Fact]
    public void GpuPath_ForCodecsOfNoInput_LeavesTheGraphAsOnTheCpu()
    {
        var (cpu, cpuCommand) = Compile(null);
        var (gpu, gpuCommand) = Compile(new GpuDecoding(["av1"]));

        Assert.Equal(cpu.FilterScript, gpu.FilterScript);
        Assert.Equal(cpuCommand, gpuCommand);
    }

    [Fact]
    public void GpuPath_DecodesAndScalesOnTheGpu_OnlyVideosEveryChainOfWhichScalesFirst()
    {
        var (compiled, command) = Compile(new GpuDecoding(["h264", "hevc"]));

        // Scaled once, after retiming filters only: on the GPU, then down for the CPU's crop, pad or format.
        Assert.Equal(["cover", "contain", "fill", "layer"], Clips.Where(c => command.Contains($"{GpuDecoding.InputArguments} -i \"/media/{c}.", StringComparison.Ordinal)));
        Assert.StartsWith("[0:v]setpts=PTS/1.5,scale_cuda=w=1280:h=720:force_original_aspect_ratio=increase:interp_algo=bicubic:format=yuv420p,hwdownload,format=yuv420p,crop=1280:720,",
            Chain(compiled, 0), StringComparison.Ordinal);
        Assert.StartsWith("[1:v]null,scale_cuda=w=1280:h=720:force_original_aspect_ratio=decrease:", Chain(compiled, 1), StringComparison.Ordinal);
        Assert.Contains("hwdownload,format=yuv420p,pad=1280:720:", Chain(compiled, 1), StringComparison.Ordinal);
        Assert.StartsWith("[2:v]null,scale_cuda=w=1280:h=720:interp_algo=bicubic:format=yuv420p,hwdownload,format=yuv420p,setsar=1", Chain(compiled, 2), StringComparison.Ordinal);
        Assert.Matches(@"^\[5:v\]fps=30:start_time=0,scale_cuda=w=384:h=216:force_original_aspect_ratio=decrease:interp_algo=bicubic:format=yuv420p,hwdownload,format=yuv420p,format=yuva444p,pad=", Chain(compiled, 5));

        // CONTAIN_BLUR scales its picture twice, a crop comes before the scale, a still is a picture: the CPU's.
        Assert.StartsWith("[3:v]null,split=2", Chain(compiled, 3), StringComparison.Ordinal);
        Assert.Matches(@"^\[6:v\]fps=30:start_time=0,crop=[^;]*,scale=\d+:\d+:force_original_aspect_ratio=decrease,", Chain(compiled, 6));
        Assert.StartsWith("[4:v]trim=end_frame=1", Chain(compiled, 4), StringComparison.Ordinal);
        Assert.Equal(4, compiled.FilterScript.Split("scale_cuda=").Length - 1);
        Assert.Equal(4, compiled.Inputs.Count(i => i.Cuda));
    }

    [Theory]
    [InlineData("hevc", "yuv420p", 0, true)]
    [InlineData("vp9", "yuv420p", 0, false)]
    [InlineData("h264", "yuv420p10le", 0, false)]
    [InlineData("h264", "yuvj420p", 0, false)]
    [InlineData("h264", "yuv420p", 90, false)]
    [InlineData(null, null, 0, false)]
    public void GpuPath_TakesOnlyUnrotatedEightBit420OfACheckedCodec(string? codec, string? pixelFormat, int rotation, bool decoded)
    {
        var media = Clip("cover") with { VideoCodec = codec, PixelFormat = pixelFormat, Rotation = rotation };

        Assert.Equal(decoded, new GpuDecoding(["h264", "hevc"]).Decodes(media));
    }

    private static (CompiledRender Compiled, string Command) Compile(GpuDecoding? gpu)
    {
        var canvas = JsonParser.Default.Parse<Contracts.V1.Canvas>(CanvasJson);
        var media = Clips.Select((c, i) => (c, i)).ToDictionary(x => x.i, x => Clip(x.c));
        // The text is segment 7; clips are segments 0-6 in the order of Clips.
        var durations = media.Where(m => m.Value.Duration is > 0).ToDictionary(m => m.Key, m => m.Value.Duration!.Value);
        var timeline = TimelineResolver.Resolve(canvas, durations);
        var fonts = new RenderFonts(FontFace.Open("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"));
        var compiled = FilterGraphCompiler.Compile(CanvasFrame.Of(canvas), timeline, media, "/work/job", fonts, gpu: gpu);
        var command = FfmpegRunner.Command(compiled, "/work/job/graph.txt", "/work/job/output.mp4", ["-map", "[out]"]).Arguments;
        return (compiled, command);
    }

    private static LocalMedia Clip(string name) => name == "still"
        ? new LocalMedia("/media/still.png", "png_pipe", null, true, false, 800, 600, 0, 0, true) { VideoCodec = "png", PixelFormat = "rgba" }
        : new LocalMedia($"/media/{name}.mp4", "mov", 10, true, true, 1920, 1080, 0, 30, false) { VideoCodec = "h264", PixelFormat = "yuv420p" };

    private static string Chain(CompiledRender compiled, int input) =>
        compiled.FilterScript.Split(";\n").Single(c => c.StartsWith($"[{input}:v]", StringComparison.Ordinal));
}
