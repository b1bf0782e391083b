using RenderFarm.Node.Rendering.Text;

namespace RenderFarm.Node.Tests.Text;

/// <summary>A canvas font is a whole TTF or OTF file before FreeType sees it.</summary>
public sealed class FontFileCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-fonts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string? Check(byte[] bytes, long max = 32 << 20)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return FontFileCheck.Problem(path, max);
    }

    [Theory]
    [InlineData(TestFonts.Sans)]
    [InlineData(TestFonts.Serif)]
    [InlineData("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf")]
    public void InstalledFonts_PassWhole(string file) => Assert.Null(Check(File.ReadAllBytes(file)));

    [Theory]
    [InlineData(0, "empty")]
    [InlineData(11, "too short")]
    [InlineData(100, "table directory")]
    [InlineData(2000, "truncated")]
    [InlineData(-100, "truncated")]
    public void CutFonts_AreRefused(int length, string problem)
    {
        var font = File.ReadAllBytes(TestFonts.Serif);
        Assert.Contains(problem, Check(font[..(length >= 0 ? length : font.Length + length)]), StringComparison.Ordinal);
    }

    [Fact]
    public void OtherFormats_AreRefused()
    {
        Assert.Contains("not a TTF or OTF", Check([0x89, .. "PNG\r\n\u001a\n"u8, .. new byte[64]]), StringComparison.Ordinal);
        Assert.Contains("collections", Check([.. "ttcf"u8, .. new byte[64]]), StringComparison.Ordinal);
    }

    [Fact]
    public void LargerThanTheLimit_IsRefused() =>
        Assert.Contains("larger than the 1024 bytes", Check(File.ReadAllBytes(TestFonts.Serif), 1024), StringComparison.Ordinal);

    [Fact]
    public void FontWithoutOutlines_IsRefused()
    {
        var font = File.ReadAllBytes(TestFonts.Serif);
        Assert.Contains("'glyf'", Check(TestFonts.Rename(font, "glyf", "glyp")), StringComparison.Ordinal);
    }
}
