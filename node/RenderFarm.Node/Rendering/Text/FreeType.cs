using System.Runtime.InteropServices;

namespace RenderFarm.Node.Rendering.Text;

/// <summary>
/// The few FreeType calls text layout needs (libfreetype.so.6, installed with FFmpeg). Struct
/// fields are read at their LP64 offsets (x86-64 and arm64 Linux), checked by the font tests.
/// </summary>
internal static partial class FreeType
{
    private const string Library = "libfreetype.so.6";

    // FT_FaceRec
    public const int FaceFlagsOffset = 16, StyleFlagsOffset = 24, NumGlyphsOffset = 32, FamilyNameOffset = 40, UnitsPerEmOffset = 136, AscenderOffset = 138,
        DescenderOffset = 140, GlyphOffset = 152, SizeOffset = 160;

    // FT_FACE_FLAG_SCALABLE; FT_STYLE_FLAG_ITALIC, FT_STYLE_FLAG_BOLD
    public const long FaceFlagScalable = 1, StyleFlagItalic = 1, StyleFlagBold = 2;

    // FT_GlyphSlotRec.advance.x and FT_SizeRec.metrics.{ascender, descender, height}, 26.6 fixed point
    public const int GlyphAdvanceXOffset = 128, SizeAscenderOffset = 48, SizeDescenderOffset = 56, SizeHeightOffset = 64;

    [LibraryImport(Library)]
    public static partial int FT_Init_FreeType(out IntPtr library);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FT_New_Face(IntPtr library, string path, nint faceIndex, out IntPtr face);

    [LibraryImport(Library)]
    public static partial int FT_Set_Pixel_Sizes(IntPtr face, uint width, uint height);

    [LibraryImport(Library)]
    public static partial uint FT_Get_Char_Index(IntPtr face, nuint charCode);

    [LibraryImport(Library)]
    public static partial int FT_Load_Glyph(IntPtr face, uint glyphIndex, int loadFlags);
}
