using Google.Protobuf.Collections;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>
/// The fonts a canvas brings (<c>canvas.fonts</c>) and the family names text and captions use.
/// Families compare as fontconfig compares them, without case and spaces, so <c>Brand Sans</c>,
/// <c>brandsans</c> and <c>BRAND SANS</c> are one family.
/// </summary>
public static class FontFamilies
{
    /// <summary>The form two family names are compared in.</summary>
    public static string Normal(string family) => family.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Checks <c>canvas.fonts</c>: at most <see cref="CanvasLimits.MaxFonts"/>, each a named family from an http(s) or asset:// source, no family twice.</summary>
    internal static void Validate(RepeatedField<Font> fonts, Violations v)
    {
        if (fonts.Count > CanvasLimits.MaxFonts)
        {
            v.Add("canvas.fonts", ErrorReasons.LimitExceeded, $"at most {CanvasLimits.MaxFonts} fonts.");
            return;
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fonts.Count; i++)
        {
            var path = $"canvas.fonts[{i}]";
            var family = fonts[i].Family;
            if (string.IsNullOrWhiteSpace(family))
            {
                v.Add($"{path}.family", ErrorReasons.FieldRequired, "a font needs the family name text and captions use.");
            }
            else if (Check($"{path}.family", family, CanvasLimits.MaxFontFamilyLength, v) && !seen.TryAdd(Normal(family), i))
            {
                v.Add($"{path}.family", ErrorReasons.DuplicateValue, $"canvas.fonts[{seen[Normal(family)]}] already has this family (case and spaces do not count).");
            }
            v.Source($"{path}.src", fonts[i].Src);
        }
    }

    /// <summary>Checks a <c>fontFamily</c> that names an installed family or one of <c>canvas.fonts</c>; empty means the default.</summary>
    internal static void CheckReference(string field, string family, Violations v) =>
        Check(field, family, CanvasLimits.MaxFontFamilyReference, v);

    private static bool Check(string field, string family, int maxLength, Violations v)
    {
        if (family.Length > maxLength)
        {
            v.Add(field, ErrorReasons.TooLong, $"at most {maxLength} characters.");
            return false;
        }
        if (family.Any(char.IsControl))
        {
            v.Add(field, ErrorReasons.OutOfRange, "a family name has no control characters (line breaks, tabs).");
            return false;
        }
        return true;
    }
}
