using System.Text;
using System.Text.RegularExpressions;

namespace RenderFarm.CanvasModel.Templates;

/// <summary>
/// <c>{{NAME}}</c> placeholders in the string fields of a template. A substitution is one pass
/// over the template's own text: what a value brings in is never scanned again, so a value
/// holding <c>{{OTHER}}</c> stays literal.
/// </summary>
public static partial class Placeholders
{
    /// <summary>Longest field name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Whether <paramref name="name"/> may name a field: a letter or underscore, then letters, digits or underscores.</summary>
    public static bool IsName(string name) => FieldName().IsMatch(name);

    /// <summary>The names of the placeholders in <paramref name="text"/>, in order (repeats included).</summary>
    public static IEnumerable<string> Names(string text) =>
        text.Contains("{{", StringComparison.Ordinal) ? Pattern().Matches(text).Select(m => m.Groups[1].Value) : [];

    /// <summary>
    /// <paramref name="text"/> with each placeholder replaced by <paramref name="value"/>'s answer for
    /// its name; a placeholder it answers null for is left as it is and reported in <paramref name="unfilled"/>.
    /// </summary>
    public static string Substitute(string text, Func<string, string?> value, ICollection<string> unfilled)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (Match m in Pattern().Matches(text))
        {
            result.Append(text, at, m.Index - at);
            var name = m.Groups[1].Value;
            if (value(name) is { } filled)
            {
                result.Append(filled);
            }
            else
            {
                unfilled.Add(name);
                result.Append(m.Value);
            }

            at = m.Index + m.Length;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    [GeneratedRegex(@"\{\{([A-Za-z_][A-Za-z0-9_]{0,63})\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();
}
