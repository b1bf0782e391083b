namespace RenderFarm.CanvasModel.Tests;

public sealed class RgbaColorTests
{
    [Theory]
    [InlineData("#1E3A8A", 0x1E, 0x3A, 0x8A, 255)]
    [InlineData("#1e3a8a80", 0x1E, 0x3A, 0x8A, 0x80)]
    [InlineData("#FFFFFF00", 255, 255, 255, 0)]
    public void Parses_SixAndEightDigitHex_CaseInsensitive(string text, int r, int g, int b, int a)
    {
        Assert.True(RgbaColor.TryParse(text, out var color));
        Assert.Equal(new RgbaColor((byte)r, (byte)g, (byte)b, (byte)a), color);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1E3A8A")]
    [InlineData("#1E3A8")]
    [InlineData("#1E3A8A8")]
    [InlineData("#GGGGGG")]
    [InlineData("red")]
    [InlineData("#1E3A8A;drawbox")]
    public void Rejects_AnythingElse(string? text) => Assert.False(RgbaColor.TryParse(text, out _));

    [Fact]
    public void RendersAsFfmpegColor_WithAlphaFraction()
    {
        Assert.Equal("0x1E3A8A@1", RgbaColor.ParseOrDefault("#1E3A8A", RgbaColor.Black).ToFfmpeg());
        Assert.Equal("0x000000@0.502", RgbaColor.ParseOrDefault("#00000080", RgbaColor.Black).ToFfmpeg());
    }

    [Fact]
    public void RendersAsAssColor_BgrWithInvertedAlpha()
    {
        Assert.Equal("&H00563412", new RgbaColor(0x12, 0x34, 0x56).ToAss());
        Assert.Equal("&HFF563412", new RgbaColor(0x12, 0x34, 0x56, 0).ToAss());
    }

    [Fact]
    public void EmptyText_GivesFallback_InvalidThrows()
    {
        Assert.Equal(RgbaColor.White, RgbaColor.ParseOrDefault("", RgbaColor.White));
        Assert.Throws<FormatException>(() => RgbaColor.ParseOrDefault("#12", RgbaColor.White));
    }
}
