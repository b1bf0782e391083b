using RenderFarm.Node.Rendering;
using RenderFarm.Node.Tests.Rendering;
using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Text;

/// <summary>
/// canvas.fonts as a viewer sees them: text and captions naming a canvas font's family draw that
/// file's glyphs (brandy.ttf is DejaVu Serif under a family no node has installed), and a file that
/// is not a font fails the render naming its source.
/// </summary>
public sealed class CanvasFontTests : IClassFixture<TestMedia>
{
    private const string Brandy = "{'family': 'Brand Serif', 'src': 'https://media.test/brandy.ttf'}";
    private readonly TestMedia _media;

    public CanvasFontTests(TestMedia media)
    {
        _media = media;
        TestFonts.WriteTo(media);
    }

    private static string Canvas(string fonts, string overlay) =>
        $"{{'width': 320, 'height': 240, 'fps': 25, 'fonts': [{fonts}], 'segments': [{{'color': {{'color': '#000000'}}, 'duration': 1}}, {overlay}]}}";

    private static int Differing(byte[] a, byte[] b) => a.Zip(b).Count(p => Math.Abs(p.First - p.Second) > 64);

    private async Task<byte[]> FrameOf(RenderHarness h, string fonts, string overlay) =>
        Frame((await h.RenderAsync(Canvas(fonts, overlay))).OutputPath, 0.5).Rgb;

    [Fact]
    public async Task Text_InACanvasFont_DrawsThatFilesGlyphs_UnderItsAlias_AndShadowsAnInstalledFamily()
    {
        using var h = new RenderHarness(_media);
        static string Text(string family) => $"{{'text': {{'text': 'Sphinx quartz', 'fontSize': 36, 'fontFamily': '{family}'}}}}";

        var custom = await FrameOf(h, Brandy, Text("brand serif"));
        var byDefault = await FrameOf(h, "", "{'text': {'text': 'Sphinx quartz', 'fontSize': 36}}");
        var installedSerif = await FrameOf(h, "", Text("DejaVu Serif"));
        var shadowing = await FrameOf(h, "{'family': 'DejaVu Sans', 'src': 'https://media.test/brandy.ttf'}", Text("DejaVu Sans"));

        Assert.True(Differing(custom, byDefault) > 300, "the canvas font drew the default font's glyphs");
        Assert.True(Differing(custom, installedSerif) < 20, $"brandy.ttf is DejaVu Serif, yet {Differing(custom, installedSerif)} values differ");
        Assert.True(Differing(shadowing, custom) < 20, "a canvas font named like an installed family did not shadow it");
    }

    [Fact]
    public async Task Captions_InACanvasFont_AreDrawnByLibassFromThatFile()
    {
        using var h = new RenderHarness(_media);
        static string Captions(string family) =>
            $"{{'captions': {{'source': 'EXPLICIT', 'fontSize': 36, 'fontFamily': '{family}', 'words': [{{'text': 'Sphinx', 'start': 0, 'end': 1}}, {{'text': 'quartz', 'start': 0, 'end': 1}}]}}}}";

        var custom = await FrameOf(h, Brandy, Captions("Brand Serif"));
        var byDefault = await FrameOf(h, "", Captions(""));
        var installedSerif = await FrameOf(h, "", Captions("DejaVu Serif"));

        Assert.NotNull(InkBox.Of(custom, 320, InkBox.White));
        Assert.True(Differing(custom, byDefault) > 300, "captions in the canvas font drew the default font");
        Assert.True(Differing(custom, installedSerif) < 20, $"libass did not draw brandy.ttf: {Differing(custom, installedSerif)} values differ from DejaVu Serif");
    }

    [Theory]
    [InlineData("empty.ttf", "empty")]
    [InlineData("png.ttf", "not a TTF or OTF")]
    [InlineData("cut.ttf", "truncated")]
    public async Task AFileThatIsNoFont_FailsTheRender_WithFontInvalid_NamingItsSource(string file, string problem)
    {
        using var h = new RenderHarness(_media);

        var e = await Assert.ThrowsAsync<RenderException>(() => h.RenderAsync(Canvas(
            $"{Brandy}, {{'family': 'Broken', 'src': 'https://media.test/{file}'}}", "{'text': {'text': 'x'}}")));

        Assert.Equal(("FONT_INVALID", false), (e.Code, e.Retryable));
        Assert.StartsWith("canvas.fonts[1].src: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_media.Directory, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFamilyNeitherBroughtNorInstalled_FailsRetryably_NamingTheCaptionsField()
    {
        using var h = new RenderHarness(_media);

        var e = await Assert.ThrowsAsync<RenderException>(() => h.RenderAsync(Canvas(Brandy,
            "{'captions': {'source': 'EXPLICIT', 'fontFamily': 'Brand Sans', 'words': [{'text': 'x', 'start': 0, 'end': 1}]}}")));

        Assert.Equal(("FONT_NOT_FOUND", true), (e.Code, e.Retryable));
        Assert.StartsWith("canvas.segments[1].captions.fontFamily: ", e.Message, StringComparison.Ordinal);
    }
}
