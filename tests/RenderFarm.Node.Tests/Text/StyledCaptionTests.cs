using System.Text.Json;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Rendering.Compilation;
using RenderFarm.Node.Tests.Rendering;

namespace RenderFarm.Node.Tests.Text;

/// <summary>Caption styles POP and BOX, outline and background, as a viewer sees them, and still inert against ASS injection.</summary>
public sealed class StyledCaptionTests(TestMedia media) : IClassFixture<TestMedia>
{
    private const int Width = 320, Height = 240, Fps = 25;

    // ONE, TWO, SIX spoken one after another; each sample time is the middle of a word.
    private const string Words = "[{'text': 'ONE', 'start': 0.2, 'end': 0.8}, {'text': 'TWO', 'start': 0.8, 'end': 1.4}, {'text': 'SIX', 'start': 1.4, 'end': 2.0}]";
    private static readonly double[] Spoken = [0.5, 1.1, 1.7];

    private static bool Green(byte r, byte g, byte b) => r < 60 && g > 180 && b < 60;

    private static bool Red(byte r, byte g, byte b) => r > 150 && g < 80 && b < 80;

    private async Task<List<byte[]>> RenderAsync(RenderHarness h, string captions)
    {
        var result = await h.RenderAsync($"{{'width': {Width}, 'height': {Height}, 'fps': {Fps}, 'segments': ["
            + $"{{'color': {{'color': '#000000'}}, 'duration': 2.2}}, {{'captions': {{'source': 'EXPLICIT', 'fontSize': 40, {captions}}}}}]}}");
        return InkBox.Frames(result.OutputPath, Width, Height);
    }

    private static byte[] At(List<byte[]> frames, double t) => frames[(int)Math.Round(t * Fps)];

    [Fact]
    public async Task Box_DrawsTheBoxBehindTheSpokenWordOnly_AndMovesWithTheSpeech()
    {
        using var h = new RenderHarness(media);
        var frames = await RenderAsync(h, $"'style': 'BOX', 'backgroundColor': '#00FF00', 'words': {Words}");

        var boxes = Spoken.Select(t => InkBox.Of(At(frames, t), Width, Green)).ToList();
        Assert.All(boxes, Assert.NotNull);
        Assert.True(boxes[0]!.MaxX < boxes[1]!.MinX && boxes[1]!.MaxX < boxes[2]!.MinX, string.Join(" ", boxes));
        for (var i = 0; i < 3; i++)
        {
            // A corner of the word's box, inside its padding: box color while the word is spoken, not while another is.
            var (x, y) = (boxes[i]!.MinX + 2, boxes[i]!.MinY + 2);
            for (var j = 0; j < 3; j++)
            {
                var f = At(frames, Spoken[j]);
                var p = ((y * Width) + x) * 3;
                Assert.True(Green(f[p], f[p + 1], f[p + 2]) == (i == j), $"word {i}'s box corner at word {j}'s time: {f[p]},{f[p + 1]},{f[p + 2]}");
            }
        }
        // All words stay shown in the text color; the box is only the spoken word's.
        var text = InkBox.Of(At(frames, Spoken[0]), Width, InkBox.White)!;
        Assert.True(text.MinX < boxes[0]!.MaxX && text.MaxX > boxes[2]!.MinX, $"text {text}, boxes {string.Join(" ", boxes)}");
        Assert.Null(InkBox.Of(At(frames, 0.1), Width, Green));
    }

    [Fact]
    public async Task Pop_ShowsOnlyTheWordsSpokenSoFar_InPlace()
    {
        using var h = new RenderHarness(media);
        var frames = await RenderAsync(h, $"'style': 'POP', 'words': {Words}");

        var ink = Spoken.Select(t => InkBox.Of(At(frames, t), Width, InkBox.White)).ToList();
        Assert.All(ink, Assert.NotNull);
        Assert.True(ink[0]!.MaxX < ink[1]!.MaxX - 30 && ink[1]!.MaxX < ink[2]!.MaxX - 30, string.Join(" ", ink));
        // Words appear where the whole phrase puts them: the first word does not move.
        Assert.InRange(ink[2]!.MinX - ink[0]!.MinX, -1, 1);
        Assert.True(ink[0]!.MaxX < Width / 2, $"at the first word the ink reaches {ink[0]!.MaxX}");
    }

    [Fact]
    public async Task OutlineColor_AppearsAroundTheGlyphEdges_AndWidthZeroDrawsNone()
    {
        using var h = new RenderHarness(media);
        var outlined = At(await RenderAsync(h, $"'outlineColor': '#FF0000', 'outlineWidth': 3, 'words': {Words}"), 1.1);
        var bare = At(await RenderAsync(h, $"'outlineColor': '#FF0000', 'outlineWidth': 0, 'words': {Words}"), 1.1);

        var (red, white) = (InkBox.Of(outlined, Width, Red)!, InkBox.Of(outlined, Width, InkBox.White)!);
        Assert.True(red.Count > 200, $"{red.Count} outline pixels");
        Assert.InRange(white.MinX - red.MinX, 1, 5);
        Assert.InRange(red.MaxX - white.MaxX, 1, 5);
        Assert.InRange(white.MinY - red.MinY, 1, 5);
        Assert.Null(InkBox.Of(bare, Width, Red));
    }

    [Fact]
    public async Task Background_OfPlainCaptions_IsABoxBehindTheLine()
    {
        using var h = new RenderHarness(media);
        var frame = At(await RenderAsync(h, $"'backgroundColor': '#00FF00', 'words': {Words}"), 1.1);

        var (box, text) = (InkBox.Of(frame, Width, Green)!, InkBox.Of(frame, Width, InkBox.White)!);
        Assert.True(box.MinX < text.MinX && box.MaxX > text.MaxX && box.MinY < text.MinY && box.MaxY > text.MaxY, $"box {box}, text {text}");
    }

    [Theory]
    [InlineData("POP")]
    [InlineData("BOX")]
    public async Task HostileWords_AreDrawnLiterally(string style)
    {
        using var h = new RenderHarness(media);
        var words = JsonSerializer.Serialize(new[]
        {
            new { text = @"{\c&H0000FF&}R", start = 0.2, end = 1.0 },
            new { text = @"\N{\alpha&HFF&}", start = 1.0, end = 2.0 },
        });
        var frames = await RenderAsync(h, $"'style': '{style}', 'backgroundColor': '#00FF00', 'words': {words}");

        var late = At(frames, 1.5);
        Assert.Null(InkBox.Of(late, Width, Red));
        // Both words, braces and all, are drawn: far wider than "R".
        var ink = InkBox.Of(late, Width, InkBox.White)!;
        Assert.True(ink.MaxX - ink.MinX > 200, $"{ink}");
        Assert.NotNull(InkBox.Of(late, Width, Green));
    }

    [Fact]
    public void HostileFamilyName_CannotEndItsStyle()
    {
        var style = new AssStyle("Text", "Evil,Name\nDialogue: 0,0:00:00.00,9:00:00.00,Text,,0,0,0,,{\\c&H0000FF&}PWNED", 48, false, false,
            RgbaColor.White, RgbaColor.Black, 1, 3, AssScript.Alignment(Position.Bottom, 2), 10, 10);
        var script = new AssScript(new CanvasFrame(320, 240, 25, RgbaColor.Black)).Build([style]);

        var lines = script.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("Dialogue:", StringComparison.Ordinal));
        var line = Assert.Single(lines, l => l.StartsWith("Style:", StringComparison.Ordinal));
        Assert.Equal(23, line.Split(',').Length);
        Assert.StartsWith("Style: Text,EvilNameDialogue: 00:00:00.009:00:00.00Text", line, StringComparison.Ordinal);
    }
}
