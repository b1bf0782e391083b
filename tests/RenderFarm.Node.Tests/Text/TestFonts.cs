using System.Text;
using RenderFarm.Node.Tests.Rendering;

namespace RenderFarm.Node.Tests.Text;

/// <summary>Font files for canvas.fonts tests, written into a <see cref="TestMedia"/> folder.</summary>
internal static class TestFonts
{
    public const string Sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    public const string Serif = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";

    /// <summary>The family inside brandy.ttf: installed nowhere, so only canvas.fonts can bring it.</summary>
    public const string BrandyFamily = "Brandy Serif";

    /// <summary>
    /// brandy.ttf (DejaVu Serif renamed "Brandy Serif": a name of the same length keeps the name
    /// table's offsets), and bad fonts: empty.ttf, png.ttf (a PNG renamed), cut.ttf (90 % of a font).
    /// </summary>
    public static void WriteTo(TestMedia media)
    {
        var serif = File.ReadAllBytes(Serif);
        File.WriteAllBytes(media.PathOf("brandy.ttf"), Rename(serif, "DejaVu Serif", BrandyFamily));
        File.WriteAllBytes(media.PathOf("empty.ttf"), []);
        File.Copy(media.PathOf("red.png"), media.PathOf("png.ttf"), overwrite: true);
        File.WriteAllBytes(media.PathOf("cut.ttf"), serif[..(serif.Length * 9 / 10)]);
    }

    /// <summary><paramref name="font"/> with every name record reading <paramref name="from"/> (ASCII or UTF-16BE) reading <paramref name="to"/>.</summary>
    public static byte[] Rename(byte[] font, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        var bytes = (byte[])font.Clone();
        foreach (var encoding in new Encoding[] { Encoding.ASCII, Encoding.BigEndianUnicode })
        {
            var (a, b) = (encoding.GetBytes(from), encoding.GetBytes(to));
            for (var i = bytes.AsSpan().IndexOf(a); i >= 0; i = bytes.AsSpan(i + 1).IndexOf(a) is var j and >= 0 ? i + 1 + j : -1)
            {
                b.CopyTo(bytes, i);
            }
        }
        return bytes;
    }
}
