using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>Checks the look of captions: font family, outline and background.</summary>
internal static class CaptionStyleRules
{
    public static void Validate(Captions c, string path, Violations v)
    {
        FontFamilies.CheckReference($"{path}.fontFamily", c.FontFamily, v);
        v.Color($"{path}.outlineColor", c.OutlineColor);
        v.Color($"{path}.backgroundColor", c.BackgroundColor);
        if (c.HasOutlineWidth)
        {
            v.Range($"{path}.outlineWidth", c.OutlineWidth, 0, CanvasLimits.MaxCaptionOutlineWidth);
        }
    }
}
