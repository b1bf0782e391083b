namespace RenderFarm.Node.Rendering.Text;

/// <summary>The fonts of one render: the configured default and each text segment's own family.</summary>
internal sealed class RenderFonts(FontFace fallback)
{
    /// <summary>The configured font (RenderFarm:Render:FontFile), for text without a family and for captions.</summary>
    public FontFace Default { get; } = fallback;

    /// <summary>Segment index → the font of its fontFamily.</summary>
    public Dictionary<int, FontFace> BySegment { get; } = [];

    /// <summary>The font segment <paramref name="index"/> draws with.</summary>
    public FontFace For(int index) => BySegment.GetValueOrDefault(index, Default);
}
