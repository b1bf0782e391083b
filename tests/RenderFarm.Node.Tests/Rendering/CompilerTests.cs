using Google.Protobuf;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Rendering;
using RenderFarm.Node.Rendering.Compilation;
using RenderFarm.Node.Rendering.Text;

namespace RenderFarm.Node.Tests.Rendering;

public sealed class CompilerTests
{
    [Theory]
    [InlineData("/tmp/a b/text0.txt", "/tmp/a b/text0.txt")]
    [InlineData("C:/x", @"C\\:/x")]
    [InlineData("it's", @"it\\\'s")]
    [InlineData("a,b;c[d]", @"a\,b\;c\[d\]")]
    [InlineData(@"back\slash", @"back\\\\slash")]
    public void FilterValues_AreEscapedForBothParsingLevels(string value, string escaped) =>
        Assert.Equal(escaped, FilterText.Value(value));

    [Fact]
    public void UserText_NeverReachesTheGraph_OnlyItsFiles()
    {
        var canvas = JsonParser.Default.Parse<Contracts.V1.Canvas>("""
            {"width": 640, "height": 120, "segments": [{"color": {"color": "#000000"}, "duration": 1},
             {"text": {"text": "evil':drawtext=text=pwned[x];%{pts}", "fontSize": 20}}]}
            """);
        var timeline = TimelineResolver.Resolve(canvas, new Dictionary<int, double>());
        var fonts = new RenderFonts(FontFace.Open("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"));
        var compiled = FilterGraphCompiler.Compile(CanvasFrame.Of(canvas), timeline, new Dictionary<int, Node.Media.LocalMedia>(), "/work/job", fonts);

        Assert.DoesNotContain("pwned", compiled.FilterScript, StringComparison.Ordinal);
        Assert.Contains("textfile=/work/job/text0.txt:expansion=none", compiled.FilterScript, StringComparison.Ordinal);
        Assert.Equal("evil':drawtext=text=pwned[x];%{pts}", compiled.TextFiles["/work/job/text0.txt"]);
        Assert.Null(compiled.AudioLabel);
        Assert.Empty(compiled.Inputs);
    }

    // Found by the contract fuzzer: widened to the frame's aspect and shrunk back into an 80x40
    // picture, this view came out 40 + 7e-15 high and Math.Clamp threw on the negative room left.
    [Fact]
    public void SmartZoomView_ShrunkToThePictureHeight_StaysInsideIt_DespiteRounding()
    {
        var view = SmartZoom.Of(new Rect { X = 2.776e-64, Y = 0.08333333333333333, Width = 0.9347826086956522, Height = 0.9166666666666666 }, 80, 40, 1);

        Assert.True(view.H <= 40 && view.W <= 80, $"{view}");
        Assert.True(view.X >= 0 && view.Y >= 0 && view.X + view.W <= 80 && view.Y + view.H <= 40, $"{view}");
    }

    [Theory]
    [InlineData("{}", new[] { "libx264" }, "libx264", "23")]
    [InlineData("{\"quality\": \"DRAFT\"}", new[] { "libx264", "h264_nvenc" }, "h264_nvenc", "28")]
    [InlineData("{\"quality\": \"HIGH\", \"videoCodec\": \"HEVC\"}", new[] { "libx264" }, "libx265", "18")]
    public void Encoder_IsHardwareOnlyWhenItWorksHere(string spec, string[] encoders, string encoder, string crf)
    {
        var settings = EncoderChoice.For(JsonParser.Default.Parse<OutputSpec>(spec), encoders, "veryfast");
        Assert.Equal(encoder, settings.Encoder);
        Assert.Contains(crf, settings.VideoArguments);
        Assert.Contains("yuv420p", settings.VideoArguments);
        Assert.Contains("+faststart", settings.VideoArguments);
    }

    [Theory]
    [InlineData("{}", new[] { "libx264", "h264_nvenc" }, new[] { "libx264" }, "libx264")]
    [InlineData("{}", new[] { "libx264", "h264_nvenc" }, new[] { "h264_nvenc" }, "h264_nvenc")]
    [InlineData("{\"videoCodec\": \"HEVC\"}", new[] { "libx265", "hevc_nvenc" }, new[] { "libx265" }, "libx265")]
    [InlineData("{\"videoCodec\": \"HEVC\"}", new[] { "libx265", "hevc_nvenc" }, new[] { "h264_nvenc" }, "hevc_nvenc")]
    [InlineData("{}", new[] { "libx264", "h264_nvenc" }, new[] { "hevc_nvenc" }, "h264_nvenc")]
    public void RequiredEncoder_WinsOverTheNodesOwnChoice_WhenItFitsTheCodec(string spec, string[] encoders, string[] required, string encoder) =>
        Assert.Equal(encoder, EncoderChoice.For(JsonParser.Default.Parse<OutputSpec>(spec), encoders, "veryfast", required).Encoder);

    [Fact]
    public void Timeout_IsTenTimesTheVideo_AtLeastAMinute()
    {
        var options = new RenderOptions();
        Assert.Equal(TimeSpan.FromSeconds(60), options.TimeoutFor(2));
        Assert.Equal(TimeSpan.FromSeconds(300), options.TimeoutFor(30));
    }
}
