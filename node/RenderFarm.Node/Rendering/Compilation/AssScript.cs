using System.Globalization;
using System.Text;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>One ASS style: a font, colors and borders that dialogue events name.</summary>
/// <param name="BorderStyle">1: an outline of <paramref name="Outline"/> pixels in <paramref name="OutlineColor"/>; 3: an opaque box that far around the glyphs, in <paramref name="OutlineColor"/>.</param>
internal sealed record AssStyle(
    string Name, string FontName, double FontSize, bool Bold, bool Italic, RgbaColor Color, RgbaColor OutlineColor,
    int BorderStyle, double Outline, int Alignment, int MarginH, int MarginV)
{
    /// <summary>The style's line of the [V4+ Styles] section; the font name cannot end its field or line.</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"Style: {Name},{AssScript.FontName(FontName)},{FontSize:0.##},{Color.ToAss()},{Color.ToAss()},{OutlineColor.ToAss()},&H00000000,"
        + $"{(Bold ? -1 : 0)},{(Italic ? -1 : 0)},0,0,100,100,0,0,{BorderStyle},{Outline:0.##},0,{Alignment},{MarginH},{MarginH},{MarginV},1");
}

/// <summary>Writes an ASS subtitle script for libass: header, styles, dialogue events.</summary>
internal sealed class AssScript(CanvasFrame frame)
{
    /// <summary>Override tags that make the rest of an event invisible: fill, outline or box, and shadow.</summary>
    public const string Hidden = @"\alpha&HFF&";

    private const char WordJoiner = '\u2060';
    private readonly StringBuilder _events = new();

    /// <summary>The ASS numpad alignment (\an) of an anchor; <paramref name="unset"/> for POSITION_UNSPECIFIED.</summary>
    public static int Alignment(Position position, int unset) => position switch
    {
        Position.BottomLeft => 1,
        Position.Bottom => 2,
        Position.BottomRight => 3,
        Position.Left => 4,
        Position.Center => 5,
        Position.Right => 6,
        Position.TopLeft => 7,
        Position.Top => 8,
        Position.TopRight => 9,
        _ => unset,
    };

    /// <summary>
    /// User text made inert: libass reads <c>{</c> as an override block and <c>\N</c>, <c>\h</c>,
    /// <c>\{</c> as escapes, so braces become <c>\{ \}</c> (drawn as braces) and every backslash is
    /// followed by an invisible word joiner so it escapes nothing. Line breaks become spaces.
    /// </summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    sb.Append('\\').Append(WordJoiner);
                    break;
                case '{' or '}':
                    sb.Append('\\').Append(c);
                    break;
                default:
                    sb.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A font name for a Style line, where a comma ends the field and a line break the style:
    /// both are dropped (a family comes from a font file, which may be hostile). Override syntax
    /// means nothing inside a Style line.
    /// </summary>
    public static string FontName(string family) =>
        new([.. family.Where(c => c != ',' && !char.IsControl(c))]);

    /// <summary>Override tags setting the fill color and its alpha, e.g. <c>\1c&amp;H00FFFF&amp;\1a&amp;H00&amp;</c>.</summary>
    public static string Fill(RgbaColor c) => $@"\1c&H{c.B:X2}{c.G:X2}{c.R:X2}&\1a&H{255 - c.A:X2}&";

    /// <summary>
    /// The ASS time (centiseconds) at which an event must start for the first frame at or after
    /// <paramref name="seconds"/> to show it: a millisecond before that frame's time (the ass filter
    /// truncates frame times to milliseconds) and after the frame before.
    /// </summary>
    public string Time(double seconds)
    {
        var frameIndex = Math.Ceiling((seconds * frame.Fps) - 1e-6);
        var cs = Math.Max(0, Math.Floor(((frameIndex * 1000.0 / frame.Fps) - 1) / 10));
        var t = TimeSpan.FromMilliseconds(cs * 10);
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds / 10:00}");
    }

    /// <summary>
    /// Adds a dialogue event of <paramref name="style"/> on <paramref name="layer"/> (higher draws on
    /// top) shown for [<paramref name="start"/>, <paramref name="end"/>) seconds; <paramref name="text"/> is ASS already.
    /// </summary>
    public void Dialogue(double start, double end, string text, string style, int layer)
    {
        var (from, to) = (Time(start), Time(end));
        if (from != to)
        {
            _events.Append(CultureInfo.InvariantCulture, $"Dialogue: {layer},{from},{to},{style},,0,0,0,,{text}\n");
        }
    }

    /// <summary>The whole script with <paramref name="styles"/>.</summary>
    public string Build(IEnumerable<AssStyle> styles) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            [Script Info]
            ScriptType: v4.00+
            PlayResX: {frame.Width}
            PlayResY: {frame.Height}
            WrapStyle: 0
            ScaledBorderAndShadow: yes

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
            {string.Join("\n", styles.Select(s => s.Line()))}

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

            """) + _events;
}
