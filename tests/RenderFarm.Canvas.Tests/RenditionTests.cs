using Google.Protobuf;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel.Tests;

/// <summary>Renditions: refused with a field path and reason, and the canvas each one renders.</summary>
public sealed class RenditionTests
{
    private static List<Rendition> Parse(string json) =>
        [.. JsonParser.Default.Parse<CreateProductionRequest>($"{{\"renditions\": {json.Replace('\'', '"')}}}").Renditions];

    private static List<(string Field, string Reason)> Check(string renditions, string output = "{}") =>
        [.. Renditions.Validate(Parse(renditions), Json.Output(output)).Select(v => (v.Field, v.Reason))];

    [Theory]
    [InlineData("[{'name': 'wide', 'preset': 'LANDSCAPE_1080'}, {'name': 'tall', 'preset': 'PORTRAIT_1080', 'focus': {'x': 0.9, 'y': 0}}]")]
    [InlineData("[{'name': 'a_1-B', 'width': 64, 'height': 4096, 'fit': 'CONTAIN', 'output': {'format': 'WEBM', 'quality': 'DRAFT'}}]")]
    [InlineData("[]")]
    public void GoodRenditions_AreValid(string renditions) => Assert.Empty(Check(renditions));

    [Theory]
    [InlineData("[{'name': 'a', 'preset': 'SQUARE_1080'}, {'name': 'a', 'preset': 'SQUARE_720'}]", "renditions[1].name", ErrorReasons.DuplicateValue)]
    [InlineData("[{'name': '', 'preset': 'SQUARE_1080'}]", "renditions[0].name", ErrorReasons.InvalidRenditionName)]
    [InlineData("[{'name': 'a b', 'preset': 'SQUARE_1080'}]", "renditions[0].name", ErrorReasons.InvalidRenditionName)]
    [InlineData("[{'name': 'a', 'width': 641, 'height': 480}]", "renditions[0].width", ErrorReasons.InvalidRenditionSize)]
    [InlineData("[{'name': 'a', 'width': 640, 'height': 0}]", "renditions[0].height", ErrorReasons.InvalidRenditionSize)]
    [InlineData("[{'name': 'a', 'width': 640, 'height': 8192}]", "renditions[0].height", ErrorReasons.InvalidRenditionSize)]
    [InlineData("[{'name': 'a'}]", "renditions[0].preset", ErrorReasons.InvalidRenditionSize)]
    [InlineData("[{'name': 'a', 'preset': 'SQUARE_720', 'width': 640, 'height': 640}]", "renditions[0].preset", ErrorReasons.InvalidRenditionSize)]
    [InlineData("[{'name': 'a', 'preset': 'SQUARE_720', 'focus': {'x': 1.5}}]", "renditions[0].focus.x", ErrorReasons.OutOfRange)]
    [InlineData("[{'name': 'a', 'preset': 'SQUARE_720', 'focus': {'y': -0.1}}]", "renditions[0].focus.y", ErrorReasons.OutOfRange)]
    [InlineData("[{'name': 'a', 'preset': 'SQUARE_720', 'output': {'format': 'GIF'}}]", "renditions[0].output.format", ErrorReasons.RenditionOutputUnsupported)]
    [InlineData("[{'name': 'a', 'preset': 'SQUARE_720', 'output': {'stillTimes': [1]}}]", "renditions[0].output", ErrorReasons.RenditionOutputUnsupported)]
    [InlineData("[{'name': 'a', 'preset': 'SQUARE_720', 'output': {'format': 'WEBM', 'videoCodec': 'H264'}}]", "renditions[0].output.videoCodec", ErrorReasons.UnsupportedCombination)]
    public void BadRenditions_NameTheFieldAndReason(string renditions, string field, string reason) =>
        Assert.Equal([(field, reason)], Check(renditions));

    [Fact]
    public void MoreThanTheLimit_IsTooMany()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, Renditions.MaxCount + 1).Select(i => $"{{'name': 'r{i}', 'preset': 'SQUARE_720'}}")) + "]";
        Assert.Equal([("renditions", ErrorReasons.TooManyRenditions)], Check(json));
    }

    [Theory]
    [InlineData("{'format': 'MP3'}")]
    [InlineData("{'format': 'GIF'}")]
    [InlineData("{'format': 'PNG', 'stillTimes': [1]}")]
    public void AnOutputWithoutVideo_TakesNoRenditions(string output) =>
        Assert.Equal([("output.format", ErrorReasons.RenditionOutputUnsupported)], Check("[{'name': 'a', 'preset': 'SQUARE_720'}]", output));

    [Fact]
    public void CanvasFor_LaysTheCanvasOutInTheRenditionsFrame_ScalingPixelSizes()
    {
        var canvas = Json.Canvas("""
            {'preset': 'YOUTUBE_LANDSCAPE', 'segments': [
              {'image': {'src': 'https://cdn.example.com/a.png', 'fit': 'CONTAIN'}, 'duration': 2},
              {'image': {'src': 'https://cdn.example.com/logo.png'}, 'layer': {'x': 0.8, 'y': 0.8, 'width': 0.1, 'height': 0.1}, 'duration': 2},
              {'text': {'text': 'Hi', 'fontSize': 96}, 'duration': 2},
              {'text': {'text': 'Default size'}, 'duration': 2},
              {'captions': {'source': 'SPEECH', 'outlineWidth': 4}}]}
            """);
        var laid = Renditions.CanvasFor(canvas, Parse("[{'name': 'tall', 'preset': 'PORTRAIT_1080', 'fit': 'COVER'}]")[0]);

        Assert.Equal((0, 1080, 1920), ((int)laid.Preset, laid.Width, laid.Height));
        // 1080/1920 of every pixel size: the narrower side decides.
        Assert.Equal((54, 27), (laid.Segments[2].Text.FontSize, laid.Segments[3].Text.FontSize));
        Assert.Equal((27, 2.25), (laid.Segments[4].Captions.FontSize, laid.Segments[4].Captions.OutlineWidth));
        // The rendition's fit applies to base media, not to a layer's picture in its box.
        Assert.Equal((Fit.Cover, Fit.Unspecified), (laid.Segments[0].Image.Fit, laid.Segments[1].Image.Fit));
        // The canvas itself is untouched.
        Assert.Equal((96, Fit.Contain), (canvas.Segments[2].Text.FontSize, canvas.Segments[0].Image.Fit));
    }

    [Fact]
    public void SameAsMain_OnlyForTheCanvasFrame_WithDefaultFitFocusAndEncoding()
    {
        var canvas = Json.Canvas("{'width': 1920, 'height': 1080, 'segments': []}");
        var output = Json.Output("{'format': 'MP4', 'videoCodec': 'H264', 'quality': 'STANDARD'}");
        var r = Parse("""
            [{'name': 'a', 'preset': 'LANDSCAPE_1080'}, {'name': 'b', 'width': 1920, 'height': 1080, 'focus': {'x': 0.2}},
             {'name': 'c', 'preset': 'LANDSCAPE_1080', 'output': {'quality': 'HIGH'}}, {'name': 'd', 'preset': 'SQUARE_1080'}]
            """);

        Assert.Equal([true, false, false, false], r.Select(x => Renditions.SameAsMain(canvas, output, x)));
    }

    [Fact]
    public void Plan_WarnsOfAHeavyCropWithoutFocus_AndOfAFocusThatChangesNothing()
    {
        var canvas = Json.Canvas("{'preset': 'YOUTUBE_LANDSCAPE', 'segments': [{'video': {'src': 'https://cdn.example.com/a.mp4'}, 'duration': 2}]}");
        var renditions = Parse("""
            [{'name': 'tall', 'preset': 'PORTRAIT_1080'},
             {'name': 'tallFocused', 'preset': 'PORTRAIT_1080', 'focus': {'x': 0.8}},
             {'name': 'square', 'preset': 'SQUARE_1080'},
             {'name': 'boxed', 'preset': 'PORTRAIT_1080', 'fit': 'CONTAIN', 'focus': {'x': 0.8}}]
            """);

        // 9:16 of 16:9 media keeps 32% of its width; 1:1 keeps 56%, over the threshold.
        Assert.Equal([(PlanWarnings.RenditionHeavyCrop, "renditions[0]"), (PlanWarnings.RenditionFocusIgnored, "renditions[3].focus")],
            Renditions.Warnings(canvas, renditions).Select(w => (w.Code, w.Path)));
        Assert.Contains("32%", Renditions.Warnings(canvas, renditions).First().Message, StringComparison.Ordinal);
        var colors = Json.Canvas("{'segments': [{'color': {'color': '#FF0000'}, 'duration': 2}]}");
        Assert.Equal([(PlanWarnings.RenditionFocusIgnored, "renditions[1].focus"), (PlanWarnings.RenditionFocusIgnored, "renditions[3].focus")], Renditions.Warnings(colors, renditions).Select(w => (w.Code, w.Path)));
    }
}
