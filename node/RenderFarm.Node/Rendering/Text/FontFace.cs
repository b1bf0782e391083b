using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using RenderFarm.Contracts;

namespace RenderFarm.Node.Rendering.Text;

/// <summary>
/// A font file opened with FreeType to measure text exactly as FFmpeg's drawtext places it:
/// pixel size = font size, hinted advances rounded down to whole pixels, no kerning (drawtext in
/// FFmpeg 5.1 passes character codes to FT_Get_Kerning, which finds no pairs).
/// </summary>
internal sealed class FontFace
{
    private static readonly ConcurrentDictionary<string, Lazy<FontFace>> Opened = new();
    private static readonly Lock Gate = new();
    private static IntPtr _library;

    private readonly IntPtr _face;

    private FontFace(string path, IntPtr face)
    {
        Path = path;
        _face = face;
        Family = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(face, FreeType.FamilyNameOffset)) ?? "";
        var style = Marshal.ReadInt64(face, FreeType.StyleFlagsOffset);
        (Bold, Italic) = ((style & FreeType.StyleFlagBold) != 0, (style & FreeType.StyleFlagItalic) != 0);
        IsScalable = (Marshal.ReadInt64(face, FreeType.FaceFlagsOffset) & FreeType.FaceFlagScalable) != 0;
        GlyphCount = Marshal.ReadInt64(face, FreeType.NumGlyphsOffset);
        var unitsPerEm = (ushort)Marshal.ReadInt16(face, FreeType.UnitsPerEmOffset);
        var height = Marshal.ReadInt16(face, FreeType.AscenderOffset) - Marshal.ReadInt16(face, FreeType.DescenderOffset);
        AssSizeFactor = unitsPerEm > 0 && height > 0 ? (double)height / unitsPerEm : 1;
    }

    /// <summary>The font file.</summary>
    public string Path { get; }

    /// <summary>The family name inside the file, e.g. <c>DejaVu Sans</c>.</summary>
    public string Family { get; }

    /// <summary>Whether the face is a bold style (libass must ask for bold to pick it).</summary>
    public bool Bold { get; }

    /// <summary>Whether the face is an italic style.</summary>
    public bool Italic { get; }

    /// <summary>Whether the face has outlines (TTF, OTF), not only bitmaps.</summary>
    public bool IsScalable { get; }

    /// <summary>Glyphs in the face.</summary>
    public long GlyphCount { get; }

    /// <summary>
    /// ASS font sizes measure ascender + descender, not the em: an ASS size of
    /// <c>pixels × AssSizeFactor</c> draws glyphs as large as drawtext's <c>fontsize=pixels</c>.
    /// </summary>
    public double AssSizeFactor { get; }

    /// <summary>The face of <paramref name="path"/>, opened once per process.</summary>
    /// <exception cref="RenderException">FONT_NOT_FOUND: FreeType cannot open the file.</exception>
    public static FontFace Open(string path) => Opened.GetOrAdd(path, p => new Lazy<FontFace>(() => Load(p))).Value;

    /// <summary>Width in pixels of one line of <paramref name="text"/> at <paramref name="pixels"/>.</summary>
    public int Measure(string text, int pixels)
    {
        lock (Gate)
        {
            SetSize(pixels);
            var glyph = Marshal.ReadIntPtr(_face, FreeType.GlyphOffset);
            long x = 0;
            foreach (var rune in text.EnumerateRunes())
            {
                var index = FreeType.FT_Get_Char_Index(_face, (nuint)rune.Value);
                if (FreeType.FT_Load_Glyph(_face, index, 0) == 0)
                {
                    x += Marshal.ReadInt64(glyph, FreeType.GlyphAdvanceXOffset) >> 6;
                }
            }
            return (int)x;
        }
    }

    /// <summary>Ascender, descender (positive, below the baseline) and line height in pixels.</summary>
    public (int Ascender, int Descender, int LineHeight) Metrics(int pixels)
    {
        lock (Gate)
        {
            SetSize(pixels);
            var size = Marshal.ReadIntPtr(_face, FreeType.SizeOffset);
            return ((int)(Marshal.ReadInt64(size, FreeType.SizeAscenderOffset) >> 6),
                (int)(-Marshal.ReadInt64(size, FreeType.SizeDescenderOffset) >> 6),
                (int)(Marshal.ReadInt64(size, FreeType.SizeHeightOffset) >> 6));
        }
    }

    private void SetSize(int pixels) => FreeType.FT_Set_Pixel_Sizes(_face, 0, (uint)pixels);

    private static FontFace Load(string path)
    {
        lock (Gate)
        {
            if (_library == IntPtr.Zero && FreeType.FT_Init_FreeType(out _library) != 0)
            {
                throw new RenderException(ErrorReasons.RenderFailed, "FreeType could not be initialised.");
            }
            if (FreeType.FT_New_Face(_library, path, 0, out var face) != 0)
            {
                throw new RenderException(ErrorReasons.FontNotFound, $"The font file {path} cannot be opened.");
            }
            return new FontFace(path, face);
        }
    }
}
