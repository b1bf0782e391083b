using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Renditions: one render, one FFmpeg process, the canvas laid out in every frame asked for.</summary>
public sealed class RenditionRenderTests : IClassFixture<TestMedia>
{
    private readonly TestMedia _media;

    public RenditionRenderTests(TestMedia media)
    {
        _media = media;
        // Blue with a red block on its right fifth: the subject a focus on the right keeps in view.
        if (!File.Exists(media.PathOf("subject-right.png")))
        {
            media.Make("subject-right.png", "-f lavfi -i color=c=blue:size=400x200,drawbox=x=320:y=0:w=80:h=200:color=red:t=fill -frames:v 1");
        }
    }

    // A 16:9 canvas: the image as base media, a green-boxed caption at the bottom right, a tone.
    private const string Canvas = """
        {'width': 320, 'height': 180, 'fps': 25, 'segments': [
          {'image': {'src': 'https://media.test/subject-right.png'}, 'duration': 1},
          {'text': {'text': 'Tag', 'position': 'BOTTOM_RIGHT', 'fontSize': 28, 'color': '#FFFFFF', 'backgroundColor': '#00FF00'}, 'start': 0, 'duration': 1},
          {'audio': {'src': 'https://media.test/tone.wav'}}]}
        """;

    private const string ThreeFrames = """
        [{'name': 'wide', 'width': 320, 'height': 180},
         {'name': 'tall', 'width': 180, 'height': 320, 'focus': {'x': 0.9}},
         {'name': 'square', 'width': 240, 'height': 240}]
        """;

    [Fact]
    public async Task ThreeRenditions_AreThreeFiles_OfTheirSizes_AndTheCanvasLength()
    {
        using var h = new RenderHarness(_media);
        var result = await h.RenderAsync(Canvas, "{'quality': 'DRAFT'}", ThreeFrames);

        Assert.Equal(["wide", "tall", "square"], result.Renditions.Select(r => r.Name));
        (int W, int H)[] sizes = [(320, 180), (180, 320), (240, 240)];
        for (var i = 0; i < sizes.Length; i++)
        {
            var r = result.Renditions[i];
            Assert.Equal(sizes[i], (r.Facts.Width, r.Facts.Height));
            Assert.Equal(25, Ffprobe.CountFrames(r.Path));
            Assert.Equal("aac", r.Facts.AudioCodec);
            Assert.Equal("video/mp4", r.ContentType);
            Assert.InRange(r.Facts.Duration, 1 - 0.05, 1 + 0.05);
        }

        // The rendition identical to the main output is its file, not a second encode; the others
        // came out of the same FFmpeg process.
        Assert.Equal(result.OutputPath, result.Renditions[0].Path);
        Assert.Single(h.Logs.Messages, m => m.StartsWith("Rendering job-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Renditions_ShareTheSourceInputs_AndWriteOneFileEach()
    {
        using var h = new RenderHarness(_media);
        var command = await h.CommandLineAsync(Canvas, "{}", h.WorkDirectory, ThreeFrames);

        // Two sources (the image and the tone), each an input once though three pictures use them;
        // two rendition files besides the main output (the wide one is the main output).
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(command, @"(^| )-i "));
        Assert.Contains("rendition-tall.mp4", command, StringComparison.Ordinal);
        Assert.Contains("rendition-square.mp4", command, StringComparison.Ordinal);
        Assert.DoesNotContain("rendition-wide", command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextAtTheBottomRight_StaysInsideEveryFrame_NearItsCorner()
    {
        using var h = new RenderHarness(_media);
        var result = await h.RenderAsync(Canvas, "{'quality': 'HIGH'}", ThreeFrames);

        foreach (var r in result.Renditions)
        {
            var (w, hh) = (r.Facts.Width, r.Facts.Height);
            var box = GreenBox(r.Path, w, hh);
            Assert.True(box is not null, $"{r.Name}: no green text box");
            var (x0, y0, x1, y1) = box!.Value;
            // Inside the frame, and in its bottom-right quarter, reaching close to both edges.
            Assert.True(x0 > 0 && y0 > 0 && x1 < w - 1 && y1 < hh - 1, $"{r.Name}: box {box} touches the edge of {w}x{hh}");
            Assert.True(x0 > w / 2 && y0 > hh / 2, $"{r.Name}: box {box} is not in the bottom-right of {w}x{hh}");
            Assert.True(x1 > w * 0.85 && y1 > hh * 0.85, $"{r.Name}: box {box} is far from the corner of {w}x{hh}");
        }
    }

    [Fact]
    public async Task Focus_KeepsTheSubjectInView_WhenTheImageIsCropped()
    {
        using var h = new RenderHarness(_media);
        var result = await h.RenderAsync(Canvas, "{'quality': 'HIGH'}", ThreeFrames);

        // Focused on the red block: the 9:16 crop's right side shows it.
        var tall = result.Renditions[1].Path;
        AssertColor((255, 0, 0), Pixel(tall, 0.5, 160, 40));
        // Centred (square): the crop holds only the blue middle of the image.
        AssertColor((0, 0, 255), Pixel(result.Renditions[2].Path, 0.5, 230, 40));
    }

    [Fact]
    public async Task RenditionFit_Contain_LetterboxesTheImage_InsteadOfCropping()
    {
        using var h = new RenderHarness(_media);
        var result = await h.RenderAsync(Canvas, "{'quality': 'HIGH'}", "[{'name': 'tall', 'preset': 'PORTRAIT_720', 'fit': 'CONTAIN'}]");

        var tall = result.Renditions[0].Path;
        Assert.Equal((720, 1280), (result.Renditions[0].Facts.Width, result.Renditions[0].Facts.Height));
        // The whole 2:1 image across the middle (red on its right), black above it.
        AssertColor((255, 0, 0), Pixel(tall, 0.5, 700, 640));
        AssertColor((0, 0, 255), Pixel(tall, 0.5, 20, 640));
        AssertColor((0, 0, 0), Pixel(tall, 0.5, 360, 100));
    }

    // The bounding box of the pure green pixels (the text's box) in the middle frame, or null.
    private static (int X0, int Y0, int X1, int Y1)? GreenBox(string video, int width, int height)
    {
        var (rgb, _) = Frame(video, 0.5);
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                if (rgb[i] < 60 && rgb[i + 1] > 200 && rgb[i + 2] < 60)
                {
                    (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
                }
            }
        }

        return x1 < 0 ? null : (x0, y0, x1, y1);
    }
}
