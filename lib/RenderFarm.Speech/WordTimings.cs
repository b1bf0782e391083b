using System.Text;

namespace RenderFarm.TextToSpeech;

/// <summary>
/// Turns espeak-ng's word events into timed words of the source text. espeak-ng may say one
/// written word as several (3.5 → "three point five"): the first event inside a written word
/// starts it. A word is heard from its first sound after that event until the next word begins,
/// less the silence after it (a sentence's pause).
/// </summary>
internal static class WordTimings
{
    // Samples quieter than this (about -40 dBFS) count as silence.
    private const int SilenceLevel = 330;

    /// <param name="text">What was spoken.</param>
    /// <param name="events">Word events: 1-based character (code point) position, length, first sample.</param>
    /// <param name="samples">The synthesised audio.</param>
    /// <param name="sampleRate">Samples per second.</param>
    public static List<SpokenWord> From(string text, IReadOnlyList<(int Position, int Length, int Sample)> events, IReadOnlyList<short> samples, int sampleRate)
    {
        var tokens = Tokens(text);
        var starts = new int?[tokens.Count];
        foreach (var (position, _, sample) in events)
        {
            var k = tokens.FindIndex(t => position <= t.Last);
            if (k >= 0 && starts[k] is null)
            {
                starts[k] = Math.Clamp(sample, 0, samples.Count);
            }
        }
        // A written word espeak-ng did not say (a lone dash) joins the word before, or the first one.
        var words = new List<(StringBuilder Text, int Start)>();
        var pending = "";
        for (var k = 0; k < tokens.Count; k++)
        {
            if (starts[k] is { } start)
            {
                words.Add((new StringBuilder(pending + tokens[k].Text), start));
                pending = "";
            }
            else if (words.Count > 0)
            {
                words[^1].Text.Append(' ').Append(tokens[k].Text);
            }
            else
            {
                pending += tokens[k].Text + " ";
            }
        }
        var result = new List<SpokenWord>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var start = i > 0 ? Math.Max(words[i].Start, words[i - 1].Start) : words[i].Start;
            var next = i + 1 < words.Count ? words[i + 1].Start : samples.Count;
            // espeak-ng marks where a word's phonemes begin, a plosive's silent closure included:
            // the word is heard from its first sound.
            var onset = start;
            while (onset < next && Math.Abs((int)samples[onset]) < SilenceLevel)
            {
                onset++;
            }
            start = onset < next ? onset : start;
            var end = next;
            while (end > start + 1 && Math.Abs((int)samples[end - 1]) < SilenceLevel)
            {
                end--;
            }
            // A word with no sound above the level keeps its whole slot.
            end = end <= start + 1 ? next : Math.Min(next, end + (sampleRate / 100));
            result.Add(new SpokenWord(words[i].Text.ToString(), (double)start / sampleRate, (double)Math.Max(end, start + 1) / sampleRate));
        }
        return result;
    }

    /// <summary>Runs of non-space characters with the 1-based code point index of their last character.</summary>
    private static List<(string Text, int Last)> Tokens(string text)
    {
        var tokens = new List<(string, int)>();
        var current = new StringBuilder();
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            index++;
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                if (current.Length > 0)
                {
                    tokens.Add((current.ToString(), index - 1));
                    current.Clear();
                }
                continue;
            }
            current.Append(rune.ToString());
        }
        if (current.Length > 0)
        {
            tokens.Add((current.ToString(), index));
        }
        return tokens;
    }
}
