using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Real renders of layers and keyframes, checked where a viewer would look.</summary>
public sealed class LayerFidelityTests(LayerMedia fixture) : IClassFixture<LayerMedia>
{
    private static double Luma((int R, int G, int B) p) => (0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B);

    // The first x in [from, to) of row y whose luma crosses half way between dark and bright.
    private static int Edge(Pictures p, int frame, int y, int from, int to, bool rising = true)
    {
        for (var x = from; x < to; x++)
        {
            if ((Luma(p.Pixel(frame, x, y)) > 128) == rising)
            {
                return x;
            }
        }
        return -1;
    }

    // The sub-pixel left edge of a bright box on black: the coverage summed over [from, inside) is inside − edge.
    private static double LeftEdge(Pictures p, int frame, int y, int from, int inside)
    {
        double covered = 0;
        for (var x = from; x < inside; x++)
        {
            covered += Math.Clamp(Luma(p.Pixel(frame, x, y)) / 255.0, 0, 1);
        }
        return inside - covered;
    }

    [Fact]
    public async Task Box_IsWhereTheFractionsSay_AtTheGivenTimes()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 200, 'height': 100, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'color': {'color': '#FFFFFF'}, 'start': 0.4, 'duration': 1.2,
               'layer': {'x': 0.25, 'y': 0.2, 'width': 0.5, 'height': 0.4}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 200, 100);
        Assert.Null(p.Bright(9));
        foreach (var frame in (int[])[10, 25, 39])
        {
            Assert.InRange(Edge(p, frame, 40, 0, 200), 49, 51);
            Assert.InRange(Edge(p, frame, 40, 100, 200, rising: false), 149, 151);
            Assert.InRange(Enumerable.Range(0, 100).First(y => Luma(p.Pixel(frame, 100, y)) > 128), 19, 21);
            Assert.InRange(Enumerable.Range(0, 100).Last(y => Luma(p.Pixel(frame, 100, y)) > 128), 58, 60);
        }
        Assert.Null(p.Bright(40));
    }

    [Fact]
    public async Task Keyframes_MoveTheBox_ToTheKeyframedPlaces()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 200, 'height': 100, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'color': {'color': '#FFFFFF'}, 'duration': 2,
               'layer': {'x': 0.1, 'y': 0.2, 'width': 0.2, 'height': 0.4, 'keyframes': [
                 {'time': 1, 'x': 0.6, 'width': 0.3}, {'time': 1.6, 'y': 0.5}]}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 200, 100);
        Assert.Equal((20, 20, 40, 40), p.Bright(0));
        Assert.InRange(Edge(p, 25, 40, 0, 200), 119, 121);
        Assert.InRange(Edge(p, 25, 40, 125, 200, rising: false), 179, 181);
        // y holds 0.2 until 1 s, then moves to 0.5 by 1.6 s, and holds.
        Assert.InRange(Enumerable.Range(0, 100).First(y => Luma(p.Pixel(45, 150, y)) > 128), 49, 51);
        Assert.Equal((120, 50, 60, 40), p.Bright(45));
    }

    [Fact]
    public async Task Opacity_Half_BlendsToTheAverage()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 200, 'height': 100, 'fps': 25, 'segments': [
              {'color': {'color': '#0000FF'}, 'duration': 0.4},
              {'color': {'color': '#FF0000'}, 'layer': {'x': 0, 'y': 0, 'width': 0.5, 'height': 1, 'opacity': 0.5}},
              {'color': {'color': '#FF0000'}, 'layer': {'x': 0.5, 'y': 0, 'width': 0.5, 'height': 1, 'keyframes': [
                {'time': 0, 'opacity': 0}, {'time': 0.4, 'opacity': 1}]}}]}
            """);

        AssertColor((128, 0, 128), Pixel(result.OutputPath, 0.2, 50, 50), tolerance: 12);
        // Opacity keyframed 0 → 1 over 0.4 s: half at 0.2 s, as the static one.
        AssertColor((128, 0, 128), Pixel(result.OutputPath, 0.2, 150, 50), tolerance: 12);
        AssertColor((0, 0, 255), Pixel(result.OutputPath, 0, 150, 50), tolerance: 12);
    }

    [Theory]
    [InlineData(0, "red", "blue", "red", "blue")]
    [InlineData(90, "red", "red", "blue", "blue")]
    [InlineData(-90, "blue", "blue", "red", "red")]
    [InlineData(180, "blue", "red", "blue", "red")]
    public async Task Rotation_TurnsTheLogo_Clockwise(double degrees, string topLeft, string topRight, string bottomLeft, string bottomRight)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 200, 'height': 100, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 0.2},
              {'image': {'src': 'https://media.test/halves.png'}, 'layer': {'x': 0.3, 'y': 0.1, 'width': 0.4, 'height': 0.8, 'rotation': {{{degrees}}}}}]}
            """);

        // The 80x80 box is centred at (100, 50); its left half is red, its right half blue, turned.
        var (frame, _) = Frame(result.OutputPath, 0.1);
        string At(int x, int y)
        {
            var i = ((y * 200) + x) * 3;
            return frame[i] > 150 && frame[i + 2] < 100 ? "red" : frame[i + 2] > 150 && frame[i] < 100 ? "blue" : "other";
        }
        Assert.Equal((topLeft, topRight, bottomLeft, bottomRight), (At(75, 25), At(125, 25), At(75, 75), At(125, 75)));
        Assert.Equal("other", At(50, 50));
    }

    [Theory]
    [InlineData(1, 0, 255, 0, 0)]
    [InlineData(0, 1, 0, 0, 255)]
    [InlineData(0, 0, 0, 0, 255)]
    public async Task ZIndex_DecidesWhichColorWins_TiesKeepArrayOrder(int redZ, int blueZ, int r, int g, int b)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 200, 'height': 100, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 0.2},
              {'color': {'color': '#FF0000'}, 'layer': {'x': 0, 'y': 0, 'width': 0.6, 'height': 1, 'zIndex': {{{redZ}}}}},
              {'color': {'color': '#0000FF'}, 'layer': {'x': 0.4, 'y': 0, 'width': 0.6, 'height': 1, 'zIndex': {{{blueZ}}}}}]}
            """);

        AssertColor((r, g, b), Pixel(result.OutputPath, 0.1, 100, 50));
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 0.1, 20, 50));
        AssertColor((0, 0, 255), Pixel(result.OutputPath, 0.1, 180, 50));
    }

    [Theory]
    [InlineData("LINEAR")]
    [InlineData("EASE_IN")]
    [InlineData("EASE_OUT")]
    [InlineData("EASE_IN_OUT")]
    public async Task KeyframeMidpoint_IsAtTheEasedValue(string easing)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 240, 'height': 64, 'fps': 24, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 1},
              {'color': {'color': '#FFFFFF'}, 'layer': {'x': 0.1, 'y': 0.25, 'width': 0.25, 'height': 0.5, 'keyframes': [
                {'time': 1, 'x': 0.5, 'easing': '{{{easing}}}'}]}}]}
            """, "{'quality': 'HIGH'}");

        // At half time (frame 12 of 24) the box is at the eased share of its 96 px way (EASE_IN: 12.5 %).
        var share = Easings.Apply(Enum.Parse<Easing>(easing.Replace("_", ""), ignoreCase: true), 0.5);
        var p = Pictures.Of(result.OutputPath, 240, 64);
        var edge = LeftEdge(p, 12, 32, 0, 24 + (int)(96 * share) + 30);
        Assert.InRange(edge, 24 + (96 * share) - 0.5, 24 + (96 * share) + 0.5);
    }

    [Fact]
    public async Task SlowPan_MovesSmoothly_FrameToFrame_WithoutWholePixelSteps()
    {
        using var h = new RenderHarness(fixture.Media);
        // 25 px in 4 s at 25 fps: a quarter pixel a frame.
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 64, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 4},
              {'color': {'color': '#FFFFFF'}, 'layer': {'x': 0.1, 'y': 0.25, 'width': 0.25, 'height': 0.5, 'keyframes': [
                {'time': 4, 'x': 0.25625}]}}]}
            """, "{'quality': 'HIGH'}");

        var p = Pictures.Of(result.OutputPath, 160, 64);
        var edges = Enumerable.Range(0, p.Count).Select(f => LeftEdge(p, f, 32, 0, 50)).ToList();
        var steps = edges.Zip(edges.Skip(1), (a, b) => b - a).ToList();
        Assert.All(steps, s => Assert.InRange(s, 0.25 - 0.12, 0.25 + 0.12));
        Assert.InRange(edges[0], 16 - 0.3, 16 + 0.3);
        Assert.InRange(edges[^1], 16 + (25 * 99 / 100.0) - 0.3, 16 + (25 * 99 / 100.0) + 0.3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VideoLayer_IsHeard_UnlessMuted(bool muted)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 96, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'video': {'src': 'https://media.test/flash.mp4', 'muted': {{{(muted ? "true" : "false")}}}}, 'start': 0.5,
               'layer': {'x': 0.5, 'y': 0.5, 'width': 0.4, 'height': 0.4}}]}
            """);

        if (muted)
        {
            Assert.Null(result.Facts.AudioCodec);
            return;
        }
        var sound = Sound.Of(result.OutputPath);
        Assert.True(sound.Tone(1000, 0.1, 0.4) < 50, "silent before the layer starts");
        Assert.True(sound.Tone(1000, 0.7, 1.9) > 300, $"the layer's tone is heard: {sound.Tone(1000, 0.7, 1.9):0}");
    }

    [Theory]
    [InlineData(false, 255)]
    [InlineData(true, 0)]
    public async Task ShortVideoLayer_HoldsItsLastFrame_OrLoops(bool loop, int expected)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 96, 'fps': 25, 'segments': [
              {'color': {'color': '#FF0000'}, 'duration': 3},
              {'video': {'src': 'https://media.test/flash.mp4', 'loop': {{{(loop ? "true" : "false")}}}}, 'duration': 3,
               'layer': {'x': 0, 'y': 0, 'width': 0.5, 'height': 1, 'fit': 'FILL'}}]}
            """);

        AssertColor((0, 0, 0), Pixel(result.OutputPath, 0.5, 40, 48));
        AssertColor((255, 255, 255), Pixel(result.OutputPath, 1.5, 40, 48));
        // 2.5 s: past the 2 s clip, its last (white) frame held, or 0.5 s into its second pass (black).
        AssertColor((expected, expected, expected), Pixel(result.OutputPath, 2.5, 40, 48));
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 2.5, 120, 48));
    }

    [Fact]
    public async Task TextAndShapeLayers_AreDrawnInsideTheirBoxes()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 200, 'height': 100, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 0.2},
              {'shape': {'kind': 'ELLIPSE', 'color': '#0000FF'}, 'layer': {'x': 0, 'y': 0, 'width': 0.4, 'height': 1}},
              {'text': {'text': 'Hi there', 'fontSize': 20, 'color': '#FFFFFF'}, 'layer': {'x': 0.5, 'y': 0.3, 'width': 0.5, 'height': 0.4}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 200, 100);
        AssertColor((0, 0, 255), p.Pixel(2, 40, 50));
        AssertColor((0, 0, 0), p.Pixel(2, 3, 3));
        var text = p.Bright(2)!.Value;
        Assert.InRange(text.X, 100, 130);
        Assert.InRange(text.Y, 30, 50);
        Assert.InRange(text.X + text.W, 170, 200);
        Assert.InRange(text.Y + text.H, 50, 70);
    }

    [Fact]
    public async Task Crop_ShowsOnlyThatPartOfTheSource_AndCoverFillsTheBox()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 200, 'height': 100, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 0.2},
              {'image': {'src': 'https://media.test/halves.png'},
               'layer': {'x': 0, 'y': 0, 'width': 0.5, 'height': 1, 'crop': {'x': 0.5, 'y': 0, 'width': 0.5, 'height': 1}, 'fit': 'COVER'}}]}
            """);

        AssertColor((0, 0, 255), Pixel(result.OutputPath, 0.1, 10, 50));
        AssertColor((0, 0, 255), Pixel(result.OutputPath, 0.1, 90, 50));
        AssertColor((0, 0, 0), Pixel(result.OutputPath, 0.1, 150, 50));
    }

    [Fact]
    public async Task PictureInPicture_VideoFollowsItsKeyframes_AndTurns()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 200, 'height': 100, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'video': {'src': 'https://media.test/flash.mp4'}, 'layer': {'x': 0, 'y': 0.3, 'width': 0.2, 'height': 0.4, 'keyframes': [
                {'time': 1, 'x': 0.5}, {'time': 2, 'rotation': 90, 'width': 0.4, 'easing': 'EASE_IN_OUT'}]}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 200, 100);
        // From 1 s the clip is white: a 40x40 box at x 100. At 1.48 s the box has widened and turned
        // by the eased share; the square clip, contained in it, stays 40x40 about the box's centre.
        Assert.Equal((100, 30, 40, 40), p.Bright(25));
        var share = Easings.Apply(Easing.EaseInOut, 0.48);
        var (centre, angle) = (100 + ((40 + (40 * share)) / 2), 90 * share * Math.PI / 180);
        var extent = 40 * (Math.Abs(Math.Cos(angle)) + Math.Abs(Math.Sin(angle)));
        var turned = p.Bright(37)!.Value;
        Assert.InRange(turned.X + (turned.W / 2.0), centre - 1.5, centre + 1.5);
        Assert.InRange(turned.Y + (turned.H / 2.0), 48.5, 51.5);
        Assert.InRange(turned.W, extent - 3, extent + 1);
        Assert.InRange(turned.H, extent - 3, extent + 1);
    }

    [Fact]
    public async Task FastMoves_AreDrawnEveryFrame_AtTheirPlace()
    {
        using var h = new RenderHarness(fixture.Media);
        // A still sliding 224 px in a second from off the frame (eased: fast, then slow at the end)
        // then on, its y moving as well; a (white) video sliding 256 px in 1.2 s (slow, fast, slow).
        var result = await h.RenderAsync("""
            {'width': 320, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'color': {'color': '#FFFFFF'}, 'layer': {'x': -0.2, 'y': 0.05, 'width': 0.15, 'height': 0.3, 'keyframes': [
                {'time': 1, 'x': 0.5, 'easing': 'EASE_OUT'}, {'time': 2, 'x': 0.8, 'y': 0.3, 'easing': 'EASE_IN'}]}},
              {'video': {'src': 'https://media.test/flash.mp4', 'muted': true, 'trimStart': 1}, 'duration': 2,
               'layer': {'x': 0.9, 'y': 0.55, 'width': 0.15, 'height': 0.3, 'fit': 'FILL', 'keyframes': [{'time': 1.2, 'x': 0.1, 'easing': 'EASE_IN_OUT'}]}}]}
            """);

        var p = Pictures.Of(result.OutputPath, 320, 120);
        Assert.Equal(50, p.Count);
        for (var f = 0; f < p.Count; f++)
        {
            var t = f / 25.0;
            var x = 320 * (t < 1 ? -0.2 + (0.7 * Easings.Apply(Easing.EaseOut, t)) : 0.5 + (0.3 * Easings.Apply(Easing.EaseIn, t - 1)));
            var y = 120 * (t < 1 ? 0.05 : 0.05 + (0.25 * Easings.Apply(Easing.EaseIn, t - 1)));
            var row = (int)y + 18;
            var shown = Math.Max(0, Math.Min(x + 48, 320) - Math.Max(x, 0));
            var width = Enumerable.Range(0, 320).Sum(c => Math.Clamp(Luma(p.Pixel(f, c, row)) / 255.0, 0, 1));
            Assert.InRange(width, shown - 1, shown + 1);
            if (shown > 1)
            {
                Assert.InRange(Edge(p, f, row, 0, 320), Math.Max(0, x - 1), Math.Max(0, x + 1));
            }
            var vx = 320 * (0.9 - (0.8 * Easings.Apply(Easing.EaseInOut, Math.Min(1, t / 1.2))));
            Assert.InRange(Edge(p, f, 90, 0, 320), vx - 1, vx + 1);
            Assert.InRange(Enumerable.Range(0, 320).Sum(c => Math.Clamp(Luma(p.Pixel(f, c, 90)) / 255.0, 0, 1)), Math.Min(48, 320 - vx) - 1, Math.Min(48, 320 - vx) + 1);
        }
    }
}
