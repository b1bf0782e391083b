using System.Globalization;

namespace RenderFarm.CanvasModel;

/// <summary>An sRGB color with alpha, parsed from <c>#RRGGBB</c> or <c>#RRGGBBAA</c>.</summary>
public readonly record struct RgbaColor(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Opaque black.</summary>
    public static readonly RgbaColor Black = new(0, 0, 0);

    /// <summary>Opaque white.</summary>
    public static readonly RgbaColor White = new(255, 255, 255);

    /// <summary>Alpha as a fraction, 0 (transparent) .. 1 (opaque).</summary>
    public double Alpha => A / 255.0;

    /// <summary>Parses <c>#RRGGBB</c> or <c>#RRGGBBAA</c> (case-insensitive).</summary>
    public static bool TryParse(string? text, out RgbaColor color)
    {
        color = default;
        if (text is null || text.Length is not (7 or 9) || text[0] != '#')
        {
            return false;
        }
        foreach (var c in text.AsSpan(1))
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        static byte Hex(string s, int i) => byte.Parse(s.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        color = new RgbaColor(Hex(text, 1), Hex(text, 3), Hex(text, 5), text.Length == 9 ? Hex(text, 7) : (byte)255);
        return true;
    }

    /// <summary>Parses a color; empty text gives <paramref name="fallback"/>.</summary>
    /// <exception cref="FormatException">The text is neither empty nor a valid color.</exception>
    public static RgbaColor ParseOrDefault(string? text, RgbaColor fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        return TryParse(text, out var color) ? color : throw new FormatException($"'{text}' is not #RRGGBB or #RRGGBBAA.");
    }

    /// <summary>FFmpeg color syntax, e.g. <c>0x1E3A8A@0.502</c>.</summary>
    public string ToFfmpeg() =>
        string.Create(CultureInfo.InvariantCulture, $"0x{R:X2}{G:X2}{B:X2}@{Alpha:0.###}");

    /// <summary>ASS (libass) color syntax <c>&amp;HAABBGGRR</c>, where alpha 00 is opaque.</summary>
    public string ToAss() => $"&H{255 - A:X2}{B:X2}{G:X2}{R:X2}";

    /// <inheritdoc />
    public override string ToString() => A == 255 ? $"#{R:X2}{G:X2}{B:X2}" : $"#{R:X2}{G:X2}{B:X2}{A:X2}";
}
