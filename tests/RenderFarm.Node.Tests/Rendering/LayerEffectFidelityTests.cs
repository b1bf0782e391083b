using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Real renders of filters, chroma key, smart zoom and text animations on layers, checked where a viewer would look.</summary>
public sealed class LayerEffectFidelityTests(LayerMedia fixture) : IClassFixture<LayerMedia>
{
    private static void AssertGrey((int R, int G, int B) p, int minimum)
    {
        Assert.True(Math.Abs(p.R - p.G) <= 4 && Math.Abs(p.G - p.B) <= 4 && Math.Abs(p.R - p.B) <= 4 && p.G >= minimum, $"not grey: {p}");
    }

    [Fact]
    public async Task Grayscale_OnColorImageAndVideoLayers_MakesThemGrey_OnlyInsideTheirBoxes()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 240, 'height': 80, 'fps': 25, 'segments': [
              {'color': {'color': '#0000FF'}, 'duration': 0.4},
              {'color': {'color': '#FFFF00'}, 'layer': {'x': 0, 'y': 0, 'width': 0.25, 'height': 1}, 'filters': {'grayscale': true}},
              {'image': {'src': 'https://media.test/halves.png'}, 'layer': {'x': 0.3, 'y': 0, 'width': 0.3, 'height': 1, 'fit': 'FILL'},
               'filters': {'grayscale': true}},
              {'video': {'src': 'https://media.test/greenscreen.mp4'}, 'layer': {'x': 0.65, 'y': 0, 'width': 0.3, 'height': 1, 'fit': 'FILL'},
               'filters': {'grayscale': true}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 240, 80);
        // Yellow's luma is high, red's and blue's (the logo's halves) lower, green's high.
        AssertGrey(p.Pixel(5, 30, 40), 180);
        AssertGrey(p.Pixel(5, 84, 40), 50);
        AssertGrey(p.Pixel(5, 132, 40), 15);
        AssertGrey(p.Pixel(5, 160, 10), 120);
        // The base shows between them, untouched.
        AssertColor((0, 0, 255), p.Pixel(5, 66, 40));
        AssertColor((0, 0, 255), p.Pixel(5, 235, 40));
    }

    [Fact]
    public async Task Filters_KeepALayersTransparency()
    {
        using var h = new RenderHarness(fixture.Media);
        // Red text adjusted to grey, and the logo contained (the box's sides left empty) and brightened:
        // around the glyphs and beside the logo the base's blue still shows.
        var result = await h.RenderAsync("""
            {'width': 240, 'height': 80, 'fps': 25, 'segments': [
              {'color': {'color': '#0000FF'}, 'duration': 0.4},
              {'text': {'text': 'Hi', 'fontSize': 48, 'color': '#FF0000'}, 'layer': {'x': 0, 'y': 0, 'width': 0.5, 'height': 1},
               'filters': {'grayscale': true, 'contrast': 1.2}},
              {'image': {'src': 'https://media.test/halves.png'}, 'layer': {'x': 0.5, 'y': 0, 'width': 0.5, 'height': 1},
               'filters': {'brightness': 0.1, 'blur': 0.01}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 240, 80);
        AssertColor((0, 0, 255), p.Pixel(5, 4, 4));
        AssertColor((0, 0, 255), p.Pixel(5, 130, 40));
        AssertColor((0, 0, 255), p.Pixel(5, 230, 40));
        // Thin stems in 4:2:0: grey within a few levels.
        Assert.True(p.Share(5, c => c.R > 40 && Math.Abs(c.R - c.G) <= 12 && Math.Abs(c.G - c.B) <= 12) > 0.005, "no grey text");
        Assert.DoesNotContain(Enumerable.Range(0, 120 * 80).Select(i => p.Pixel(5, i % 120, i / 120)), c => c.R > 100 && c.G < 60);
        Assert.True(p.Share(5, c => c.R > 150 && c.B < 120) > 0.05, "no red half of the logo");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChromaKey_OnAVideoLayer_TakesTheGreenAway_InsideItsBox(bool grayscale)
    {
        using var h = new RenderHarness(fixture.Media);
        var filters = grayscale ? ", 'filters': {'grayscale': true}" : "";
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#0000FF'}, 'duration': 0.8},
              {'video': {'src': 'https://media.test/greenscreen.mp4', 'chromaKey': {'color': '#00FF00', 'similarity': 0.2}},
               'layer': {'x': 0.25, 'y': 0.25, 'width': 0.5, 'height': 0.5}{{{filters}}}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 160, 120);
        // The 80x60 box at (40, 30): its green is gone (the base's blue shows), the red square (20x20 at its centre) stays.
        foreach (var (x, y) in ((int, int)[])[(44, 34), (115, 34), (44, 85), (115, 85), (55, 60)])
        {
            AssertColor((0, 0, 255), p.Pixel(10, x, y), tolerance: 30);
        }
        Assert.True(p.Share(10, c => c.G > 150 && c.R < 100 && c.B < 100) == 0, "green left on the frame");
        if (grayscale)
        {
            AssertGrey(p.Pixel(10, 80, 60), 40);
        }
        else
        {
            AssertColor((255, 0, 0), p.Pixel(10, 80, 60), tolerance: 40);
        }
    }

    [Fact]
    public async Task SmartZoom_OnAnImageLayer_ClosesInInsideItsBox()
    {
        using var h = new RenderHarness(fixture.Media);
        // The layer's 160x120 box is the right half of the frame; marker.png (320x240, a 40x40 white
        // square in its middle) is first seen whole (the square 20 px wide), at the end as the 80x60
        // part around the square (the square 80 px wide), always centred in the box at (240, 60).
        var result = await h.RenderAsync("""
            {'width': 320, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'image': {'src': 'https://media.test/marker.png',
                'kenBurns': {'to': {'x': 0.375, 'y': 0.375, 'width': 0.25, 'height': 0.25}, 'easing': 'LINEAR'}},
               'layer': {'x': 0.5, 'y': 0, 'width': 0.5, 'height': 1}}]}
            """, "{'quality': 'HIGH'}");

        var p = Pictures.Of(result.OutputPath, 320, 120);
        var (first, mid, last) = (p.Bright(0)!.Value, p.Bright(25)!.Value, p.Bright(p.Count - 1)!.Value);
        Assert.InRange(first.W, 19, 21);
        Assert.InRange(last.W, 78, 82);
        Assert.InRange(last.H, 78, 82);
        Assert.True(mid.W > first.W + 5 && mid.W < last.W - 5, $"mid {mid}");
        foreach (var b in (int[])[0, 25, p.Count - 1])
        {
            var box = p.Bright(b)!.Value;
            Assert.InRange(box.X + (box.W / 2.0), 238.5, 241.5);
            Assert.InRange(box.Y + (box.H / 2.0), 58.5, 61.5);
            Assert.True(box.X >= 160, $"drawn outside the box: {box}");
        }
    }

    [Theory]
    [InlineData("TYPEWRITER", 22)]
    [InlineData("WORD_BY_WORD", 22)]
    [InlineData("SLIDE_UP", 22)]
    [InlineData("POP", 16)]
    public async Task TextAnimation_OnATextLayer_IsPartlyShownOnItsWay_InsideItsBox(string animation, int frame)
    {
        using var h = new RenderHarness(fixture.Media);
        // The layer shows from 0.4 s (frame 10); its animation takes 1 s: frame 22 is its midpoint;
        // POP overshoots at its midpoint, so it is seen a quarter of the way (frame 16), still growing.
        var result = await h.RenderAsync($$$"""
            {'width': 320, 'height': 240, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'text': {'text': 'One two three four', 'fontSize': 24, 'color': '#FFFFFF', 'animation': '{{{animation}}}', 'animationDuration': 1},
               'start': 0.4, 'duration': 1.6, 'layer': {'x': 0.1, 'y': 0.25, 'width': 0.8, 'height': 0.5}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 320, 240);
        double Lit(int f) => Enumerable.Range(0, 240).Sum(y => Enumerable.Range(0, 320).Sum(x => p.Pixel(f, x, y).G / 255.0));
        var (on, end) = (Lit(frame), Lit(45));
        Assert.True(Lit(9) < 1, "drawn before the layer starts");
        Assert.True(on > end * 0.1 && on < end * 0.85, $"{animation}: lit {on:0.0} on its way, {end:0.0} at the end");
        foreach (var f in (int[])[frame, 45])
        {
            var box = p.Bright(f)!.Value;
            Assert.True(box.X >= 32 && box.Y >= 60 && box.X + box.W <= 288 && box.Y + box.H <= 180, $"drawn outside the box: {box}");
        }
    }
}
