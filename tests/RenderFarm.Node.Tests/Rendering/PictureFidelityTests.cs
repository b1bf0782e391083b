using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Real renders of images and clips of every kind, checked pixel by pixel.</summary>
public sealed class PictureFidelityTests(FidelityMedia fixture) : IClassFixture<FidelityMedia>
{
    private const double Frame25 = 1.0 / 25;

    [Fact]
    public async Task ContainBlur_FillsTheBarsWithABlurredCopy_AndKeepsTheClipSharp()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 320, 'height': 240, 'fps': 25, 'backgroundColor': '#00FF00', 'segments': [
              {'video': {'src': 'https://media.test/stripes.mp4', 'fit': 'CONTAIN_BLUR'}, 'duration': 0.4}]}
            """);

        // The 160x240 clip sits at x 80..240; the bars are its cover-scaled copy, blurred.
        var frames = Pictures.Of(result.OutputPath, 320, 240);
        var sharp = frames.RowContrast(5, 120, 100, 220);
        var bars = Math.Max(frames.RowContrast(5, 120, 0, 60), frames.RowContrast(5, 120, 260, 320));
        Assert.True(sharp > 60, $"the clip itself should keep its stripes, contrast {sharp:0.0}");
        Assert.True(bars < 15, $"the bars should be blurred, contrast {bars:0.0}");
        var (r, g, b) = frames.Pixel(5, 20, 120);
        Assert.True(Math.Abs(r - g) < 30 && Math.Abs(g - b) < 30 && g > 60, $"bars should show the grey blur of the stripes, not the background: {(r, g, b)}");
    }

    [Theory]
    [InlineData("CONTAIN")]
    [InlineData("COVER")]
    [InlineData("FILL")]
    [InlineData("CONTAIN_BLUR")]
    public async Task OddSizedClip_FitsAnyFrame(string fit)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 128, 'height': 64, 'fps': 25, 'segments': [{'video': {'src': 'https://media.test/odd.mp4', 'fit': '{{{fit}}}'}}]}
            """);

        Assert.Equal((128, 64, 25.0), (result.Facts.Width, result.Facts.Height, result.Facts.Fps));
        Assert.InRange(result.Facts.Duration, 1 - Frame25, 1 + Frame25);
        Assert.Null(result.Facts.AudioCodec);
    }

    [Theory]
    [InlineData("tiny.png", 255, 0, 255)]
    [InlineData("huge.png", 0, 255, 255)]
    public async Task TinyAndHugeImages_ContainBlur_OnTheSmallestFrame(string image, int r, int g, int b)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 128, 'height': 64, 'fps': 25, 'segments': [
              {'image': {'src': 'https://media.test/{{{image}}}', 'fit': 'CONTAIN_BLUR'}, 'duration': 0.4}]}
            """);

        AssertColor((r, g, b), Pixel(result.OutputPath, 0.2, 64, 32));
        AssertColor((r, g, b), Pixel(result.OutputPath, 0.2, 4, 32), tolerance: 40);
    }

    [Theory]
    [InlineData("FILL")]
    [InlineData("CONTAIN")]
    [InlineData("COVER")]
    [InlineData("CONTAIN_BLUR")]
    public async Task TransparentPng_ShowsTheBackgroundColor_NotBlack(string fit)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 200, 'height': 100, 'fps': 25, 'backgroundColor': '#00FF00', 'segments': [
              {'image': {'src': 'https://media.test/alpha.png', 'fit': '{{{fit}}}'}, 'duration': 0.4}]}
            """);

        AssertColor((0, 255, 0), Pixel(result.OutputPath, 0.2, 40, 50));
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 0.2, 160, 50));
    }

    [Theory]
    [InlineData("blue.jpg", 0, 0, 255)]
    [InlineData("yellow.webp", 255, 255, 0)]
    public async Task JpegAndWebpImages_Render(string image, int r, int g, int b)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [{'image': {'src': 'https://media.test/{{{image}}}'}, 'duration': 0.4}]}
            """);

        AssertColor((r, g, b), Pixel(result.OutputPath, 0.2, 80, 60));
        Assert.InRange(result.Facts.Duration, 0.4 - Frame25, 0.4 + Frame25);
    }

    [Fact]
    public async Task VariableFrameRateClip_BecomesConstantFrameRate_WithItsDuration()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [{'video': {'src': 'https://media.test/vfr.mp4'}}]}
            """);

        var source = Ffprobe.Duration(fixture.Media.PathOf("vfr.mp4"));
        Assert.InRange(result.Facts.Duration, source - Frame25, source + Frame25);
        Assert.Equal(25, result.Facts.Fps);
        Assert.Equal((int)Math.Round(source * 25), Ffprobe.CountFrames(result.OutputPath));
        var times = Ffprobe.FrameTimes(result.OutputPath);
        Assert.All(times.Zip(times.Skip(1)), p => Assert.InRange(p.Second - p.First, Frame25 - 0.001, Frame25 + 0.001));
    }

    [Theory]
    [InlineData("IN", "PAN_UNSPECIFIED")]
    [InlineData("OUT", "PAN_UNSPECIFIED")]
    [InlineData("ZOOM_UNSPECIFIED", "PAN_LEFT")]
    [InlineData("ZOOM_UNSPECIFIED", "PAN_RIGHT")]
    [InlineData("ZOOM_UNSPECIFIED", "PAN_UP")]
    [InlineData("ZOOM_UNSPECIFIED", "PAN_DOWN")]
    public async Task KenBurns_MovesTheMarker_SteadilyInTheRightDirection(string zoom, string pan)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'image': {'src': 'https://media.test/marker.png', 'zoom': '{{{zoom}}}', 'pan': '{{{pan}}}'}, 'duration': 1}]}
            """);

        var frames = Pictures.Of(result.OutputPath, 160, 120);
        var boxes = Enumerable.Range(0, frames.Count).Select(i => frames.Bright(i) ?? throw new Xunit.Sdk.XunitException($"no marker in frame {i}")).ToList();
        // The view moves the named way, so the marker moves the other way; zooming in makes it larger.
        Func<(int X, int Y, int W, int H), double> measure = pan switch
        {
            "PAN_LEFT" => b => b.X + (b.W / 2.0),
            "PAN_RIGHT" => b => -(b.X + (b.W / 2.0)),
            "PAN_UP" => b => b.Y + (b.H / 2.0),
            "PAN_DOWN" => b => -(b.Y + (b.H / 2.0)),
            _ when zoom == "IN" => b => b.W,
            _ => b => -b.W,
        };
        var values = boxes.Select(measure).ToList();
        Assert.True(values[^1] - values[0] >= 3, $"{zoom}/{pan}: from {values[0]} to {values[^1]}");
        // Steady: never a step back by more than rounding.
        Assert.All(values.Zip(values.Skip(1)), p => Assert.True(p.Second >= p.First - 1, $"{zoom}/{pan}: stepped back from {p.First} to {p.Second}"));
    }
}
