using System.Text.Json;
using RenderFarm.Node.Rendering;
using RenderFarm.Node.Rendering.Text;
using RenderFarm.Node.Tests.Rendering;
using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Text;

/// <summary>Text overlays as a viewer sees them: where the ink is, when, in which font and color.</summary>
public sealed class TextRenderTests(TestMedia media) : IClassFixture<TestMedia>
{
    private const string Sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    private static string Canvas(string text, int width = 320, int height = 240, double duration = 2) =>
        $"{{'width': {width}, 'height': {height}, 'fps': 25, 'segments': [{{'color': {{'color': '#000000'}}, 'duration': {duration}}}, {text}]}}";

    private static string Json(string s) => JsonSerializer.Serialize(s);

    [Fact]
    public async Task Text_InkIsInItsRegion_DuringItsWindow_AndNowhereElse()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(Canvas("{'text': {'text': 'HELLO', 'fontSize': 40, 'position': 'TOP_LEFT'}, 'start': 0.5, 'duration': 1}", duration: 2.5));

        var (during, width) = Frame(result.OutputPath, 1.0);
        var ink = InkBox.Of(during, width, InkBox.White)!;
        var margin = (int)Math.Round(0.05 * 240);
        Assert.InRange(ink.MinX, margin, margin + 6);
        Assert.InRange(ink.MinY, margin, margin + 10);
        Assert.True(ink.MaxX < 160 && ink.MaxY < 80, $"ink outside the top-left region: {ink}");
        Assert.Null(InkBox.Of(Frame(result.OutputPath, 0.3).Rgb, width, InkBox.White));
        Assert.Null(InkBox.Of(Frame(result.OutputPath, 1.6).Rgb, width, InkBox.White));
    }

    [Theory]
    [InlineData("ALIGN_LEFT")]
    [InlineData("ALIGN_RIGHT")]
    public async Task TwoLines_AreAlignedInsideTheBlock_WhateverTheAnchor(string align)
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(Canvas($"{{'text': {{'text': {Json("HHHHHHHH\nHH")}, 'fontSize': 30, 'position': 'CENTER', 'align': '{align}'}}}}"));

        var (rgb, width) = Frame(result.OutputPath, 0.5);
        var lines = InkBox.Lines(rgb, width, InkBox.White);
        Assert.Equal(2, lines.Count);
        var (wide, narrow) = (lines[0], lines[1]);
        Assert.True(narrow.MaxX - narrow.MinX < (wide.MaxX - wide.MinX) / 2);
        if (align == "ALIGN_LEFT")
        {
            Assert.InRange(narrow.MinX - wide.MinX, -1, 1);
        }
        else
        {
            Assert.InRange(narrow.MaxX - wide.MaxX, -1, 1);
        }
        // The block stays centered: the wide line is centered in the frame.
        Assert.InRange(wide.CenterX, (width / 2.0) - 3, (width / 2.0) + 3);
    }

    [Fact]
    public async Task LongText_WrapsOntoSeveralLines_AndNoInkLeavesMaxWidth()
    {
        using var h = new RenderHarness(media);
        var text = "the quick brown fox jumps over the lazy dog while five boxing wizards jump quickly";
        var result = await h.RenderAsync(Canvas($"{{'text': {{'text': {Json(text)}, 'fontSize': 24, 'maxWidth': 0.5, 'position': 'CENTER', 'align': 'ALIGN_LEFT'}}}}", 640, 360));

        var (rgb, width) = Frame(result.OutputPath, 0.5);
        var lines = InkBox.Lines(rgb, width, InkBox.White);
        Assert.True(lines.Count >= 4, $"{lines.Count} lines");
        var all = InkBox.Of(rgb, width, InkBox.White)!;
        Assert.True(all.MinX >= 160 - 1 && all.MaxX <= 480, $"ink from {all.MinX} to {all.MaxX}, box is 160..480");
        // Greedy wrapping fills lines: the widest line uses most of the box.
        Assert.True(all.MaxX - all.MinX > 320 * 0.75, $"block is only {all.MaxX - all.MinX} px wide");
    }

    [Fact]
    public async Task FontFamilies_RenderDifferently_AndAnUnknownFamilyFailsNamingTheField()
    {
        using var h = new RenderHarness(media);
        async Task<byte[]> Render(string family) => Frame((await h.RenderAsync(Canvas(
            $"{{'text': {{'text': 'Sphinx quartz', 'fontSize': 36, 'fontFamily': '{family}'}}}}"))).OutputPath, 0.5).Rgb;

        var sans = await Render("DejaVu Sans");
        var serif = await Render("dejavu serif");
        Assert.True(sans.Zip(serif).Count(p => Math.Abs(p.First - p.Second) > 64) > 300, "Sans and Serif drew the same pixels");

        var e = await Assert.ThrowsAsync<RenderException>(() => h.RenderAsync(Canvas(
            "{'text': {'text': 'x', 'fontFamily': 'No Such Family-Bold:style=x'}}")));
        Assert.Equal("FONT_NOT_FOUND", e.Code);
        Assert.Contains("canvas.segments[1].text.fontFamily", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackgroundBox_SurroundsTheText_AndFadesWithIt()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(Canvas(
            "{'text': {'text': 'BOX', 'fontSize': 40, 'backgroundColor': '#FF0000', 'fadeIn': 1}, 'start': 0, 'duration': 2}", duration: 2));

        static bool Red(byte r, byte g, byte b) => r > 64 && g < 40 && b < 40;
        var (full, width) = Frame(result.OutputPath, 1.5);
        var box = InkBox.Of(full, width, Red)!;
        var text = InkBox.Of(full, width, InkBox.White)!;
        Assert.True(box.MinX < text.MinX && box.MaxX > text.MaxX && box.MinY < text.MinY && box.MaxY > text.MaxY, $"box {box} text {text}");
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 1.5, box.MinX + 2, box.MinY + 2), 40);

        // Half way through the fade both box and text are about half opaque.
        var (half, _) = Frame(result.OutputPath, 0.52);
        var boxRed = half[(((box.MinY + 2) * width) + box.MinX + 2) * 3];
        Assert.InRange(boxRed, 90, 175);
        // Green is the text's alone (the box has none).
        Assert.InRange(half.Where((_, i) => i % 3 == 1).Max(), (byte)90, (byte)185);
    }

    [Fact]
    public async Task ExpansionSyntax_IsDrawnLiterally_AsWideAsItsCharacters()
    {
        using var h = new RenderHarness(media);
        const string literal = "%{eif:1:d}%{pts}";
        var result = await h.RenderAsync(Canvas($"{{'text': {{'text': {Json(literal)}, 'fontSize': 24, 'position': 'TOP_LEFT'}}}}"));

        var (rgb, width) = Frame(result.OutputPath, 0.5);
        var ink = InkBox.Of(rgb, width, InkBox.White)!;
        // Expanded, this would be "1" and a timestamp; literal, it is as wide as its 16 characters.
        Assert.InRange(ink.MaxX - ink.MinX + 1, FontFace.Open(Sans).Measure(literal, 24) - 6, FontFace.Open(Sans).Measure(literal, 24) + 2);
    }

    [Fact]
    public async Task HostileText_WithEveryFilterSpecial_RendersUnchangedOverTime()
    {
        using var h = new RenderHarness(media);
        var hostile = "It's \"q\": a\\b %{pts} %{eif:1:d} [out];drawtext=text=x,\nline two \U0001F3AC {\\c&H0000FF&} \\N";
        var result = await h.RenderAsync(Canvas($"{{'text': {{'text': {Json(hostile)}, 'fontSize': 14, 'position': 'TOP_LEFT'}}}}"));

        var (early, width) = Frame(result.OutputPath, 0.2);
        var (late, _) = Frame(result.OutputPath, 1.7);
        Assert.True(InkBox.Lines(early, width, InkBox.White).Count >= 2);
        Assert.True(early.Zip(late).Average(p => Math.Abs(p.First - p.Second)) < 1);
    }
}
