using Google.Protobuf;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Red blending into blue, looked at half way through the transition.</summary>
public sealed class TransitionFidelityTests(TestMedia media) : IClassFixture<TestMedia>
{
    // Red 0..1 s, blue 0.6..1.6 s with a 0.4 s transition: frame 20 (0.8 s) is its midpoint.
    private const int Midpoint = 20;

    // first: the left (or top) of the frame; second: the right (or bottom).
    [Theory]
    [InlineData("WIPE_LEFT", "old", "new")]
    [InlineData("WIPE_RIGHT", "new", "old")]
    [InlineData("SLIDE_LEFT", "old", "new")]
    [InlineData("SLIDE_RIGHT", "new", "old")]
    [InlineData("WIPE_UP", "old", "new")]
    [InlineData("WIPE_DOWN", "new", "old")]
    [InlineData("SLIDE_UP", "old", "new")]
    [InlineData("SLIDE_DOWN", "new", "old")]
    public async Task DirectionalTransitions_ShowEachPictureOnItsSide(string kind, string first, string second)
    {
        var frames = await MidpointAsync(kind);

        var horizontal = kind.EndsWith("LEFT", StringComparison.Ordinal) || kind.EndsWith("RIGHT", StringComparison.Ordinal);
        AssertShows(first, horizontal ? frames.Pixel(Midpoint, 20, 60) : frames.Pixel(Midpoint, 80, 15));
        AssertShows(second, horizontal ? frames.Pixel(Midpoint, 140, 60) : frames.Pixel(Midpoint, 80, 105));
    }

    [Fact]
    public async Task CircleOpen_ShowsTheNewPictureInTheCenter_AndTheOldInTheCorners()
    {
        var frames = await MidpointAsync("CIRCLE_OPEN");

        AssertShows("new", frames.Pixel(Midpoint, 80, 60));
        AssertShows("old", frames.Pixel(Midpoint, 2, 2));
        AssertShows("old", frames.Pixel(Midpoint, 157, 117));
    }

    [Fact]
    public async Task Fade_MidpointIsTheAverageColor()
    {
        var frames = await MidpointAsync("FADE");

        RenderHarness.AssertColor((128, 0, 128), frames.Pixel(Midpoint, 80, 60), tolerance: 30);
        RenderHarness.AssertColor((255, 0, 0), frames.Pixel(10, 80, 60));
        RenderHarness.AssertColor((0, 0, 255), frames.Pixel(30, 80, 60));
    }

    [Fact]
    public async Task Dissolve_MidpointMixesPixelsOfBoth()
    {
        var frames = await MidpointAsync("DISSOLVE");

        var blue = frames.Share(Midpoint, p => p.B > p.R);
        Assert.InRange(blue, 0.25, 0.75);
    }

    [Fact]
    public async Task TooLongTransition_IsClampedToTheShorterNeighbour_WithAWarning_AndRenderedSo()
    {
        const string canvas = """
            {"width": 160, "height": 120, "fps": 25, "segments": [
              {"color": {"color": "#FF0000"}, "duration": 0.4},
              {"color": {"color": "#0000FF"}, "duration": 1, "transition": {"kind": "FADE", "duration": 0.8}}]}
            """;
        var timeline = TimelineResolver.Resolve(JsonParser.Default.Parse<Contracts.V1.Canvas>(canvas), new Dictionary<int, double>());
        Assert.Contains(timeline.Warnings, w => w.Code == PlanWarnings.TransitionClamped && w.Path == "canvas.segments[1].transition.duration");
        using var h = new RenderHarness(media);

        var result = await h.RenderAsync(canvas);

        // 0.4 s of overlap, not 0.8: the blue segment keeps its full second.
        Assert.InRange(result.Facts.Duration, 1 - 0.04, 1 + 0.04);
        var frames = Pictures.Of(result.OutputPath, 160, 120);
        RenderHarness.AssertColor((128, 0, 128), frames.Pixel(5, 80, 60), tolerance: 30);
        RenderHarness.AssertColor((0, 0, 255), frames.Pixel(15, 80, 60));
    }

    private async Task<Pictures> MidpointAsync(string kind)
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#FF0000'}, 'duration': 1},
              {'color': {'color': '#0000FF'}, 'duration': 1, 'transition': {'kind': '{{{kind}}}', 'duration': 0.4}}]}
            """);
        Assert.InRange(result.Facts.Duration, 1.6 - 0.04, 1.6 + 0.04);
        return Pictures.Of(result.OutputPath, 160, 120);
    }

    private static void AssertShows(string picture, (int R, int G, int B) pixel) =>
        RenderHarness.AssertColor(picture == "old" ? (255, 0, 0) : (0, 0, 255), pixel, tolerance: 40);
}
