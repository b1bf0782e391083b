namespace RenderFarm.Node.Rendering.Text;

/// <summary>The fonts of one render: the configured default and each text or captions segment's own family.</summary>
internal sealed class RenderFonts(FontFace fallback)
{
    /// <summary>The configured font (RenderFarm:Render:FontFile), for text and captions without a family.</summary>
    public FontFace Default { get; } = fallback;

    /// <summary>Segment index → the font of its fontFamily.</summary>
    public Dictionary<int, FontFace> BySegment { get; } = [];

    /// <summary>Canvas fonts → a folder of this render holding only that file, for libass's <c>fontsdir</c>.</summary>
    public Dictionary<FontFace, string> Folders { get; } = [];

    /// <summary>The font segment <paramref name="index"/> draws with.</summary>
    public FontFace For(int index) => BySegment.GetValueOrDefault(index, Default);

    /// <summary>The folder libass loads <paramref name="font"/> from: its own for a canvas font, else the installed file's.</summary>
    public string FolderOf(FontFace font) => Folders.GetValueOrDefault(font) ?? Path.GetDirectoryName(font.Path) ?? "/";
}
