using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using RenderFarm.Node.Rendering.Compilation;

namespace RenderFarm.Fuzz.Tests;

/// <summary>
/// Checks a compiled filter graph the way FFmpeg's graph parser reads it: every filter exists in
/// this FFmpeg, every input pad reference names an input, every label is made once and used once,
/// and only the mapped video and audio pads are left open. Quotes and backslashes are honoured, so
/// user text that leaked into the graph unescaped would split a chain and show up here.
/// </summary>
internal static partial class GraphShape
{
    private static readonly Lazy<HashSet<string>> Filters = new(FfmpegFilters);

    /// <summary>Every problem found; empty when the graph is well formed.</summary>
    public static List<string> Problems(CompiledRender compiled)
    {
        var problems = new List<string>();
        var made = new Dictionary<string, int>(StringComparer.Ordinal);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var chain in Split(compiled.FilterScript.Trim(), ';'))
        {
            var filters = Split(chain, ',');
            for (var i = 0; i < filters.Count; i++)
            {
                var (inputs, name, outputs) = Parse(filters[i].Trim());
                if (!Filters.Value.Contains(name))
                {
                    problems.Add($"unknown filter '{name}' in '{Short(chain)}'");
                }
                foreach (var label in inputs)
                {
                    if (InputPad().Match(label) is { Success: true } m)
                    {
                        if (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= compiled.Inputs.Count)
                        {
                            problems.Add($"[{label}] names an input the command does not have ({compiled.Inputs.Count} inputs)");
                        }
                    }
                    else
                    {
                        used[label] = used.GetValueOrDefault(label) + 1;
                    }
                }
                foreach (var label in outputs)
                {
                    made[label] = made.GetValueOrDefault(label) + 1;
                }
                if (i == filters.Count - 1 && outputs.Count == 0 && name is not ("nullsink" or "anullsink"))
                {
                    problems.Add($"'{Short(chain)}' ends without an output label");
                }
            }
        }
        var mapped = new[] { compiled.VideoLabel, compiled.AudioLabel }.OfType<string>().ToList();
        problems.AddRange(made.Where(m => m.Value > 1).Select(m => $"[{m.Key}] is made {m.Value} times"));
        problems.AddRange(used.Where(u => u.Value > 1).Select(u => $"[{u.Key}] is used {u.Value} times"));
        problems.AddRange(used.Keys.Where(u => !made.ContainsKey(u)).Select(u => $"[{u}] is used but never made"));
        problems.AddRange(made.Keys.Where(m => !used.ContainsKey(m) && !mapped.Contains(m)).Select(m => $"[{m}] is made but never used"));
        problems.AddRange(mapped.Where(m => !made.ContainsKey(m) || used.ContainsKey(m)).Select(m => $"the mapped pad [{m}] is not an open output"));
        return problems;
    }

    // "[a][b]name=args[c]" → (["a", "b"], "name", ["c"]), quotes and escapes already kept intact by Split.
    private static (List<string> Inputs, string Name, List<string> Outputs) Parse(string filter)
    {
        var inputs = new List<string>();
        var i = 0;
        while (i < filter.Length && filter[i] == '[')
        {
            var end = filter.IndexOf(']', i);
            inputs.Add(filter[(i + 1)..end]);
            i = end + 1;
        }
        var outputs = new List<string>();
        var j = filter.Length;
        while (j > i && filter[j - 1] == ']' && !Escaped(filter, j - 1))
        {
            var start = filter.LastIndexOf('[', j - 1);
            outputs.Insert(0, filter[(start + 1)..(j - 1)]);
            j = start;
        }
        var body = filter[i..j];
        var eq = body.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? body : body[..eq];
        // "name@instance" names one instance of a filter (for commands).
        return (inputs, name.Split('@')[0], outputs);
    }

    private static bool Escaped(string s, int at)
    {
        var n = 0;
        for (var k = at - 1; k >= 0 && s[k] == '\\'; k--)
        {
            n++;
        }
        return n % 2 == 1;
    }

    // Splits at separators outside quotes, escapes and [labels], as FFmpeg's graph parser does.
    private static List<string> Split(string text, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && !quoted)
            {
                current.Append(c).Append(text[++i]);
                continue;
            }
            if (c == '\'')
            {
                quoted = !quoted;
            }
            if (c == separator && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        Assert.False(quoted, $"unbalanced quote in '{Short(text)}'");
        parts.Add(current.ToString());
        return parts;
    }

    private static string Short(string s) => s.Length > 160 ? s[..160] + "…" : s;

    private static HashSet<string> FfmpegFilters()
    {
        var start = new ProcessStartInfo("ffmpeg", "-hide_banner -filters") { RedirectStandardOutput = true };
        using var p = Process.Start(start)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return [.. text.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 3 && f[0].Length == 3).Select(f => f[1])];
    }

    [GeneratedRegex(@"^(\d+):[va]$")]
    private static partial Regex InputPad();
}
