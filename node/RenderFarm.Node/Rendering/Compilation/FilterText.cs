using System.Globalization;
using System.Text;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Formatting and escaping for FFmpeg filtergraph descriptions.</summary>
internal static class FilterText
{
    /// <summary>A number in invariant culture, at most 6 decimals.</summary>
    public static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>
    /// Escapes an option value twice, as FFmpeg parses it twice: once as a filter option
    /// (<c>\ ' :</c>) and once as part of the filtergraph (<c>\ ' [ ] , ;</c>).
    /// </summary>
    public static string Value(string value) => Escape(Escape(value, @"\':"), @"\'[],;");

    private static string Escape(string value, string special)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (special.Contains(c))
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
