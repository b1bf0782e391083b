using System.Globalization;
using System.Text;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Writes an ASS subtitle script for libass: header, one style, dialogue events.</summary>
internal sealed class AssScript(CanvasFrame frame)
{
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

    /// <summary>An inline override setting the fill color and its alpha, e.g. <c>{\1c&amp;H00FFFF&amp;\1a&amp;H00&amp;}</c>.</summary>
    public static string Fill(RgbaColor c) => $@"{{\1c&H{c.B:X2}{c.G:X2}{c.R:X2}&\1a&H{255 - c.A:X2}&}}";

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

    /// <summary>Adds a dialogue event shown for [<paramref name="start"/>, <paramref name="end"/>) seconds; <paramref name="text"/> is ASS already.</summary>
    public void Dialogue(double start, double end, string text)
    {
        var (from, to) = (Time(start), Time(end));
        if (from != to)
        {
            _events.Append(CultureInfo.InvariantCulture, $"Dialogue: 0,{from},{to},Default,,0,0,0,,{text}\n");
        }
    }

    /// <summary>The whole script with one style named Default.</summary>
    public string Build(string fontName, double fontSize, RgbaColor color, int outline, int alignment, int marginH, int marginV) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            [Script Info]
            ScriptType: v4.00+
            PlayResX: {frame.Width}
            PlayResY: {frame.Height}
            WrapStyle: 0
            ScaledBorderAndShadow: yes

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
            Style: Default,{fontName.Replace(",", "", StringComparison.Ordinal)},{fontSize:0.##},{color.ToAss()},{color.ToAss()},&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,{outline},0,{alignment},{marginH},{marginH},{marginV},1

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

            """) + _events;
}
