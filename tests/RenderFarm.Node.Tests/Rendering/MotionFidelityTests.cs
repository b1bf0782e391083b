using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Real renders of smart zoom, text animations, chroma key and picture filters, checked pixel by pixel.</summary>
public sealed class MotionFidelityTests(FidelityMedia fixture) : IClassFixture<FidelityMedia>
{
    private const string High = "{'quality': 'HIGH'}";

    [Fact]
    public async Task SmartZoom_ShowsFromAtTheStart_ToAtTheEnd_AndGrowsSteadilyBetween()
    {
        using var h = new RenderHarness(fixture.Media);
        // marker.png: 320x240, white 40x40 square at (140, 100). The view closes in on an 80x60 box around it.
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'image': {'src': 'https://media.test/marker.png',
                'kenBurns': {'to': {'x': 0.375, 'y': 0.35, 'width': 0.25, 'height': 0.25}}}, 'duration': 2}]}
            """, High);

        var frames = Pictures.Of(result.OutputPath, 160, 120);
        var first = frames.Bright(0)!.Value;
        var last = frames.Bright(frames.Count - 1)!.Value;
        Assert.InRange(first.X, 69, 71);
        Assert.InRange(first.W, 19, 21);
        Assert.InRange(last.X, 39, 41);
        Assert.InRange(last.Y, 31, 33);
        Assert.InRange(last.W, 79, 81);
        var widths = Enumerable.Range(0, frames.Count).Select(i => Lit(frames, i, 60)).ToList();
        // The view's width shrinks linearly (320 → 80 px), so the 40 px marker shows 40·160/width px wide, every frame.
        var expected = Enumerable.Range(0, frames.Count).Select(i => 40 * 160 / (320 - (240.0 * i / (frames.Count - 1)))).ToList();
        Assert.True(widths.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 0.75), string.Join(" ", widths.Zip(expected).Select(p => $"{p.First:0.0}/{p.Second:0.0}")));
        Assert.All(widths.Zip(widths.Skip(1)), p => Assert.True(p.Second > p.First, $"held or shrank: {p.First:0.00} → {p.Second:0.00}"));
    }

    [Fact]
    public async Task SlowSmartPan_MovesBySubPixels_EveryFrame()
    {
        using var h = new RenderHarness(fixture.Media);
        // The view (160x120 of the 320x240 image) slides 16 px right over 2 s: 0.33 px a frame.
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'image': {'src': 'https://media.test/marker.png',
                'kenBurns': {'from': {'x': 0.25, 'y': 0.25, 'width': 0.5, 'height': 0.5},
                             'to': {'x': 0.3, 'y': 0.25, 'width': 0.5, 'height': 0.5}}}, 'duration': 2}]}
            """, High);

        var frames = Pictures.Of(result.OutputPath, 160, 120);
        var centres = Enumerable.Range(0, frames.Count).Select(i => Centre(frames, i, 60)).ToList();
        Assert.InRange(centres[0], 79, 81);
        Assert.InRange(centres[^1], 63, 65);
        // Each frame moves left by about a third of a pixel: never a held frame followed by a double step.
        var steps = centres.Zip(centres.Skip(1), (a, b) => a - b).ToList();
        Assert.All(steps, s => Assert.InRange(s, 0.15, 0.55));
    }

    [Theory]
    [InlineData("TYPEWRITER")]
    [InlineData("WORD_BY_WORD")]
    public async Task Reveal_ShowsPartOfTheText_AtItsMidpoint(string animation)
    {
        var frames = await Animated("One two three four", 32, animation);
        double Lit(int frame) => frames.Share(frame, p => p.R > 128);
        var (start, mid, end) = (Lit(0), Lit(12), Lit(40));
        Assert.True(start < mid && mid < end * 0.8 && mid > end * 0.2, $"lit share at start {start:0.0000}, mid {mid:0.0000}, end {end:0.0000}");
        // Nothing jumps: what is shown at the midpoint is where the finished text is.
        var (midBox, endBox) = (frames.Bright(12)!.Value, frames.Bright(40)!.Value);
        Assert.InRange(midBox.X, endBox.X - 1, endBox.X + 1);
        Assert.InRange(midBox.Y, endBox.Y - 1, endBox.Y + 1);
    }

    [Fact]
    public async Task SlideUp_IsLowerAtItsMidpoint_ThanAtItsEnd()
    {
        var frames = await Animated("Up", 64, "SLIDE_UP");
        var (early, mid, end) = (frames.Bright(5), frames.Bright(12)!.Value, frames.Bright(40)!.Value);
        Assert.True(mid.Y >= end.Y + 4, $"top at mid {mid.Y}, at end {end.Y}");
        Assert.True(early is null || early.Value.Y > mid.Y, $"top early {early?.Y}, at mid {mid.Y}");
    }

    [Fact]
    public async Task Pop_IsSmallerEarly_ThanAtItsEnd()
    {
        var frames = await Animated("POP", 64, "POP");
        var (early, end) = (frames.Bright(5)!.Value, frames.Bright(40)!.Value);
        Assert.True(early.W < end.W * 0.9 && early.H < end.H * 0.9, $"early {early}, end {end}");
        // It grows about the block's centre.
        Assert.InRange(early.X + (early.W / 2.0), end.X + (end.W / 2.0) - 3, end.X + (end.W / 2.0) + 3);
    }

    [Fact]
    public async Task ChromaKey_ReplacesTheGreen_WithTheBackground()
    {
        fixture.Media.Make("greenscreen.mp4", "-f lavfi -i \"color=c=0x00FF00:s=160x120:r=25:d=1,drawbox=x=60:y=40:w=40:h=40:c=red:t=fill\" -c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv444p");
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'backgroundColor': '#0000FF', 'segments': [
              {'video': {'src': 'https://media.test/greenscreen.mp4', 'chromaKey': {'color': '#00FF00', 'similarity': 0.2}}}]}
            """);

        AssertColor((0, 0, 255), Pixel(result.OutputPath, 0.5, 10, 10));
        AssertColor((0, 0, 255), Pixel(result.OutputPath, 0.5, 150, 110));
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 0.5, 80, 60), tolerance: 40);
    }

    [Fact]
    public async Task Grayscale_MakesEveryPixelGrey()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'image': {'src': 'https://media.test/yellow.webp'}, 'duration': 0.4, 'filters': {'grayscale': true}}]}
            """);

        var (r, g, b) = Pixel(result.OutputPath, 0.2, 80, 60);
        Assert.True(Math.Abs(r - g) <= 3 && Math.Abs(g - b) <= 3 && r > 100, $"{(r, g, b)}");
    }

    [Fact]
    public async Task Brightness_RaisesTheLuma()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#404040'}, 'duration': 0.4},
              {'color': {'color': '#404040'}, 'duration': 0.4, 'filters': {'brightness': 0.3}}]}
            """);

        var plain = Pixel(result.OutputPath, 0.2, 80, 60);
        var bright = Pixel(result.OutputPath, 0.6, 80, 60);
        Assert.True(bright.G > plain.G + 50, $"plain {plain}, brightened {bright}");
    }

    [Fact]
    public async Task Blur_SoftensTheStripes()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 240, 'fps': 25, 'segments': [
              {'video': {'src': 'https://media.test/stripes.mp4'}, 'duration': 0.4},
              {'video': {'src': 'https://media.test/stripes.mp4'}, 'duration': 0.4, 'filters': {'blur': 0.02}}]}
            """, High);

        var frames = Pictures.Of(result.OutputPath, 160, 240);
        var (sharp, blurred) = (frames.RowContrast(5, 120, 20, 140), frames.RowContrast(15, 120, 20, 140));
        Assert.True(sharp > 60 && blurred < sharp / 4, $"contrast sharp {sharp:0.0}, blurred {blurred:0.0}");
    }

    // White text on black for 2 s, its animation taking the first second: every frame.
    private async Task<Pictures> Animated(string text, int fontSize, string animation)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 320, 'height': 240, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'text': {'text': '{{{text}}}', 'fontSize': {{{fontSize}}}, 'animation': '{{{animation}}}', 'animationDuration': 1}}]}
            """);
        return Pictures.Of(result.OutputPath, 320, 240);
    }

    // Bright pixels in row y, counted by brightness: a width with sub-pixel precision.
    private static double Lit(Pictures frames, int frame, int y) =>
        Enumerable.Range(0, frames.Width).Sum(x => Math.Clamp((frames.Pixel(frame, x, y).G - 16) / 219.0, 0, 1));

    // Brightness-weighted centre of row y.
    private static double Centre(Pictures frames, int frame, int y)
    {
        var weights = Enumerable.Range(0, frames.Width).Select(x => Math.Clamp((frames.Pixel(frame, x, y).G - 16) / 219.0, 0, 1)).ToList();
        return weights.Select((w, x) => w * (x + 0.5)).Sum() / weights.Sum();
    }
}
