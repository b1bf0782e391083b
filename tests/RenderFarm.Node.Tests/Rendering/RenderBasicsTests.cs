using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

public sealed class RenderBasicsTests(TestMedia media) : IClassFixture<TestMedia>
{
    private const double Frame25 = 1.0 / 25;

    [Fact]
    public async Task ColorSegments_PlayInOrder_ForExactlyTheirDuration_WithoutAudio()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#FF0000'}, 'duration': 1}, {'color': {'color': '#0000ff'}, 'duration': 1}]}
            """);

        Assert.InRange(result.Facts.Duration, 2 - Frame25, 2 + Frame25);
        Assert.Equal((160, 120, 25.0, "h264"), (result.Facts.Width, result.Facts.Height, result.Facts.Fps, result.Facts.VideoCodec));
        Assert.Null(result.Facts.AudioCodec);
        Assert.Equal("video/mp4", result.ContentType);
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 0.5, 80, 60));
        AssertColor((0, 0, 255), Pixel(result.OutputPath, 1.5, 80, 60));
        Assert.Contains(h.Statuses, s => s.Stage == "fetching media");
        Assert.Equal(1, h.Statuses[^1].Progress);
    }

    [Fact]
    public async Task Gap_IsFilledWithBackground_AndFadeBlendsNeighbours()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'backgroundColor': '#FFFFFF', 'segments': [
              {'color': {'color': '#FF0000'}, 'duration': 0.6},
              {'color': {'color': '#0000FF'}, 'duration': 1, 'start': 1.2},
              {'color': {'color': '#FF0000'}, 'duration': 1, 'transition': {'kind': 'FADE', 'duration': 0.4}}]}
            """);

        // red 0..0.6, background 0.6..1.2, blue 1.2..2.2 fading into red 1.8..2.2, red until 2.8.
        Assert.InRange(result.Facts.Duration, 2.8 - Frame25, 2.8 + Frame25);
        AssertColor((255, 255, 255), Pixel(result.OutputPath, 0.9, 80, 60));
        AssertColor((0, 0, 255), Pixel(result.OutputPath, 1.5, 80, 60));
        var (r, _, b) = Pixel(result.OutputPath, 2.0, 80, 60);
        Assert.True(r > 60 && b > 60, $"mid-fade should mix red and blue, got r={r} b={b}");
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 2.6, 80, 60));
    }

    [Fact]
    public async Task TranslucentRectangle_BlendsOnlyInsideItsWindowAndBox()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'shape': {'kind': 'RECTANGLE', 'x': 0.25, 'y': 0.25, 'width': 0.5, 'height': 0.5, 'color': '#FFFFFF80'}, 'start': 0.5, 'duration': 1}]}
            """);

        AssertColor((0, 0, 0), Pixel(result.OutputPath, 0.2, 80, 60));
        AssertColor((128, 128, 128), Pixel(result.OutputPath, 1.0, 80, 60));
        AssertColor((0, 0, 0), Pixel(result.OutputPath, 1.0, 10, 10));
        AssertColor((0, 0, 0), Pixel(result.OutputPath, 1.8, 80, 60));
    }

    [Fact]
    public async Task Ellipse_IsFilledInside_AndEmptyInItsCorners()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 1},
              {'shape': {'kind': 'ELLIPSE', 'x': 0.25, 'y': 0.25, 'width': 0.5, 'height': 0.5, 'color': '#00FF00'}}]}
            """);

        AssertColor((0, 255, 0), Pixel(result.OutputPath, 0.5, 80, 60));
        AssertColor((0, 0, 0), Pixel(result.OutputPath, 0.5, 43, 33));
    }

    [Fact]
    public async Task Text_ShowsDuringItsWindow_AndNotAfter()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'text': {'text': 'HELLO', 'fontSize': 40, 'color': '#FFFFFF', 'position': 'CENTER'}, 'start': 0, 'duration': 1}]}
            """);

        Assert.True(BrightPixels(result.OutputPath, 0.5) > 100);
        Assert.Equal(0, BrightPixels(result.OutputPath, 1.5));
    }

    [Fact]
    public async Task HostileText_RendersLiterally_WithoutError()
    {
        using var h = new RenderHarness(media);
        var hostile = "It's: \"q\" \\ %{pts} %{localtime} [x];,'\n second line \U0001F3AC";
        var json = System.Text.Json.JsonSerializer.Serialize(hostile);
        var result = await h.RenderAsync("{'width': 320, 'height': 240, 'fps': 25, 'segments': [{'color': {'color': '#000000'}, 'duration': 2},"
            + $"{{'text': {{'text': {json}, 'fontSize': 20, 'position': 'TOP_LEFT'}}}}]}}");

        Assert.True(BrightPixels(result.OutputPath, 0.2) > 100);
        // Expanded %{pts} would draw different digits at different times.
        var (early, _) = Frame(result.OutputPath, 0.2);
        var (late, _) = Frame(result.OutputPath, 1.7);
        Assert.True(early.Zip(late).Average(p => Math.Abs(p.First - p.Second)) < 2);
    }

    private static int BrightPixels(string video, double seconds) =>
        Frame(video, seconds).Rgb.Chunk(3).Count(p => p[0] > 128 && p[1] > 128 && p[2] > 128);
}
