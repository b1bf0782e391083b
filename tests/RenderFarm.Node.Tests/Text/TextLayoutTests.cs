using RenderFarm.Node.Rendering.Compilation;
using RenderFarm.Node.Rendering.Text;

namespace RenderFarm.Node.Tests.Text;

public sealed class TextLayoutTests
{
    [Fact]
    public void Wrap_BreaksAtWords_KeepsLineBreaks_AndSplitsAWordWiderThanTheBox() =>
        Assert.Equal(["one two", "three", "four", "abcdefg", "hij"], TextLayout.Wrap("one two three\nfour abcdefghij", 7, s => s.Length));

    [Fact]
    public void Measure_MatchesDrawtextAdvances_ForDejaVuSans()
    {
        var font = FontFace.Open("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        Assert.Equal("DejaVu Sans", font.Family);
        // drawtext's box for this text at 48 px is 427 px wide (hinted advances, no kerning).
        Assert.Equal(427, font.Measure("AVAWay To, Hello", 48));
        Assert.Equal((45, 12, 56), font.Metrics(48));
    }

    [Theory]
    [InlineData("DejaVu Sans", "DejaVu Sans")]
    [InlineData("-v", @"\-v")]
    [InlineData("A:style=Bold,B", @"A\:style=Bold\,B")]
    public void FontFamily_IsEscapedAsAFontconfigFamilyOnly(string family, string pattern) =>
        Assert.Equal(pattern, FontResolver.Pattern(family));

    [Theory]
    [InlineData(@"{\c&H0000FF&}x", @"\{\" + "\u2060" + @"c&H0000FF&\}x")]
    [InlineData(@"a\Nb", "a\\\u2060Nb")]
    [InlineData("two\nlines", "two lines")]
    public void AssText_CannotOverrideOrBreak(string text, string escaped) =>
        Assert.Equal(escaped, AssScript.Escape(text));

    [Theory]
    [InlineData(25, 0.0, "0:00:00.00")]
    [InlineData(25, 0.4, "0:00:00.39")]
    [InlineData(30, 1.0 / 3, "0:00:00.33")]
    [InlineData(30, 0.34, "0:00:00.36")]
    public void AssTimes_SnapToTheFirstFrameAtOrAfter(int fps, double seconds, string time) =>
        Assert.Equal(time, new AssScript(new CanvasModel.CanvasFrame(320, 240, fps, CanvasModel.RgbaColor.Black)).Time(seconds));
}
